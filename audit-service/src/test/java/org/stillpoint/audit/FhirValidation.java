package org.stillpoint.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

import java.util.List;

/**
 * FHIR's own validator (HAPI FHIR's instance validator, R4 with its structures and value sets, offline): what a
 * receiver of an export runs on it. One per JVM; loading the R4 definitions takes seconds.
 */
public final class FhirValidation {

    private static final FhirContext R4 = FhirContext.forR4();
    private static final FhirValidator VALIDATOR = R4.newValidator().registerValidatorModule(new FhirInstanceValidator(
            new ValidationSupportChain(new DefaultProfileValidationSupport(R4),
                                       new CommonCodeSystemsTerminologyService(R4),
                                       new InMemoryTerminologyServerValidationSupport(R4),
                                       new SnapshotGeneratingValidationSupport(R4))));

    private FhirValidation() {
    }

    /** Every error (and fatal error) the validator finds in the resource, each with where it is. */
    public static synchronized List<String> errors(String resourceJson) {
        return VALIDATOR.validateWithResult(resourceJson).getMessages().stream()
                        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                || m.getSeverity() == ResultSeverityEnum.FATAL)
                        .map(FhirValidation::describe)
                        .toList();
    }

    /** The warnings, for a test that wants to see them. */
    public static synchronized List<String> warnings(String resourceJson) {
        return VALIDATOR.validateWithResult(resourceJson).getMessages().stream()
                        .filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
                        .map(FhirValidation::describe)
                        .toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
    }
}
