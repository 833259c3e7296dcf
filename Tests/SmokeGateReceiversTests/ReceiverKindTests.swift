import SmokeGateCore
import Testing

@Suite struct ReceiverKindTests {
    /// Texts and calls may already have reached someone when an answer is lost: never resent.
    @Test func textsAndCallsAreNeverResentAfterALostAnswer() {
        #expect(!ReceiverKind.aliyunSMS.resendsAfterLostAnswer)
        #expect(!ReceiverKind.aliyunVoice.resendsAfterLostAnswer)
        #expect(ReceiverKind.wecom.resendsAfterLostAnswer)
    }
}
