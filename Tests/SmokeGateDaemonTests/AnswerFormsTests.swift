import Testing

@testable import SmokeGateDaemon

/// What phones send: reply texts typed on a Chinese keyboard, and forms as browsers encode them.
@Suite struct AnswerFormsTests {
    @Test(arguments: ["1 482913", "1482913", "１　４８２９１３", "１482913", " 1  482913\n", "1\t482913"])
    func anAcknowledgingReplyCarriesItsCode(_ content: String) {
        #expect(SMSReply(phoneNumber: "13800000002", content: content).acknowledgementCode == "482913")
    }

    @Test(arguments: ["2 482913", "1 48291", "1 4829133", "1 482913 收到", "收到", "", "1", "1-482913", "482913"])
    func anyOtherTextIsNoAnswer(_ content: String) {
        #expect(SMSReply(phoneNumber: "13800000002", content: content).acknowledgementCode == nil)
    }

    @Test func aPushIsAListOfReplyObjects() {
        let push =
            #"[{"phone_number":"13800000002","content":"1 482913","send_time":"2026-05-01 12:00:00","dest_code":"1065","sequence_id":7},{"phone_number":"1","sequence_id":"8"}]"#
        #expect(
            SMSReply.batch(Array(push.utf8))
                == [
                    SMSReply(phoneNumber: "13800000002", content: "1 482913", sequenceID: 7),
                    SMSReply(phoneNumber: "1", content: nil, sequenceID: 8),
                ])
        for body in ["", "{}", "[1]", #"{"content":"1 482913"}"#] { #expect(SMSReply.batch(Array(body.utf8)) == nil, "\(body)") }
        #expect(SMSReply.batch(Array("[]".utf8)) == [])
    }

    @Test func formFieldsAreDecodedAndTrimmed() {
        let form = FormFields("action=ack&by=+%E7%8E%8B%E4%BA%94+&by=second&note=&cause_text=a%2Bb%26c")
        #expect(form["action"] == "ack" && form["by"] == "王五", "the first value of a field, trimmed")
        #expect(form["note"] == nil && form["missing"] == nil && form["cause_text"] == "a+b&c")
    }

    @Test func theSecretPathIsComparedWhole() {
        #expect(AnswerRoutes.constantTimeEqual("sms-7f3c", "sms-7f3c"))
        for other in ["sms-7f3d", "sms-7f3", "sms-7f3cc", "", "SMS-7f3c"] {
            #expect(!AnswerRoutes.constantTimeEqual(other, "sms-7f3c"))
        }
        #expect(!AnswerRoutes.constantTimeEqual("", ""), "an empty secret protects nothing")
    }
}
