package org.stillpoint.referral.query;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.referral.Urgency;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads of the referral read model. */
@Component
public record ReferralQueries(MongoTemplate mongo) {

    public List<ReferralView> referralsOf(ClientId clientId) {
        return mongo.find(Query.query(Criteria.where("clientId").is(clientId.toString()))
                               .with(Sort.by("issuedAt", "referralId")), ReferralView.class);
    }

    /** The client's referrals, oldest first, as the cursor yields them: close the stream. */
    public java.util.stream.Stream<ReferralView> streamOf(ClientId clientId) {
        return mongo.stream(Query.query(Criteria.where("clientId").is(clientId.toString()))
                                 .with(Sort.by("issuedAt", "referralId")), ReferralView.class);
    }

    public Optional<ReferralView> referral(ClientId clientId, ReferralId referralId) {
        return Optional.ofNullable(mongo.findById(referralId.toString(), ReferralView.class))
                       .filter(r -> r.clientId().equals(clientId.toString()));
    }

    /** The organisation's open referrals, most urgent first, then oldest first. */
    public List<ReferralView> openReferrals(OrganisationId organisationId, Urgency minimumUrgency) {
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId.toString()).and("open").is(true)),
                          ReferralView.class)
                    .stream()
                    .filter(r -> minimumUrgency == null || r.urgency().compareTo(minimumUrgency) >= 0)
                    .sorted(Comparator.comparing(ReferralView::urgency).reversed()
                                      .thenComparing(ReferralView::issuedAt))
                    .toList();
    }
}
