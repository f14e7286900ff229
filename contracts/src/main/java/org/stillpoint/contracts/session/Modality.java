package org.stillpoint.contracts.session;

import org.stillpoint.contracts.ConsentScope;

/** What was done in a session; each modality needs consent for the scope of the same name. */
public enum Modality {
    CRANIOSACRAL_THERAPY,
    SOMATOEMOTIONAL_RELEASE,
    VERBAL_PROCESSING;

    /** The consent scope that must cover this modality. */
    public ConsentScope scope() {
        return ConsentScope.valueOf(name());
    }
}
