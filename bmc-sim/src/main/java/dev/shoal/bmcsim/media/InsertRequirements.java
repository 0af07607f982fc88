package dev.shoal.bmcsim.media;

/**
 * Optional InsertMedia parameters a BMC insists on, each answered with the exact error body a real
 * BMC sends when it is missing, so a client's "field ladder" (Image only, then + Inserted/WriteProtected,
 * + TransferProtocolType, + TransferMethod, + UserName/Password) can be exercised step by step.
 *
 * @param insertedFlags        Image alone is refused until Inserted and WriteProtected are sent (ActionParameterMissing)
 * @param transferProtocolType which real error answers a missing TransferProtocolType
 * @param transferMethod       TransferMethod must be present (transfer_method_required_error.json)
 * @param credentials          UserName and Password must be present, empty strings will do (credentials_required_error.json)
 */
public record InsertRequirements(boolean insertedFlags, ProtocolError transferProtocolType, boolean transferMethod,
                                 boolean credentials) {
    public static final InsertRequirements NONE = new InsertRequirements(false, ProtocolError.NONE, false, false);
    /** Every rung of the ladder required. */
    public static final InsertRequirements ALL = new InsertRequirements(true, ProtocolError.ACTION_PARAMETER_MISSING_1_5, true, true);

    public InsertRequirements {
        transferProtocolType = transferProtocolType == null ? ProtocolError.NONE : transferProtocolType;
    }

    /** The three real bodies BMCs send for a missing TransferProtocolType (sushy's fixtures). */
    public enum ProtocolError {
        NONE(null),
        /** AMI MegaRAC, Base.1.5.ActionParameterMissing with RelatedProperties "#/TransferProtocolType": sushy retries on this one. */
        ACTION_PARAMETER_MISSING_1_5("transfer_proto_required_error.json"),
        /** Base.1.4.0.GeneralError with the reason only in the message text. */
        GENERAL_ERROR("transfer_proto_required_error2.json"),
        /** Newer AMI firmware: Base.1.12.ActionParameterMissing, RelatedProperties "/TransferProtocolType". */
        ACTION_PARAMETER_MISSING_1_12("transfer_proto_required_error3.json");

        private final String fixture;

        ProtocolError(String fixture) {
            this.fixture = fixture;
        }

        public String fixture() {
            return fixture;
        }
    }
}
