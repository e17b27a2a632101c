package dev.camelollama.client;

/** Which of the component's timeouts ran out; the option to raise is named after each. */
public enum TimeoutKind {
    /** {@code connectTimeout}: the TCP connection could not be made in time. */
    CONNECT("connectTimeout"),
    /** {@code firstByteTimeout}: queueing, model load and prompt evaluation took longer. */
    FIRST_BYTE("firstByteTimeout"),
    /** {@code idleTimeout}: the stream stalled between two chunks. */
    IDLE("idleTimeout"),
    /** {@code totalTimeout}: the whole call took longer, even though chunks kept coming. */
    TOTAL("totalTimeout");

    private final String optionName;

    TimeoutKind(String optionName) {
        this.optionName = optionName;
    }

    /** The endpoint option that sets this timeout. */
    public String optionName() {
        return optionName;
    }
}
