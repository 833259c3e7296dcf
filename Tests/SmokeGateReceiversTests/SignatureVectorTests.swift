import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// Known answers from the vendors' documentation (or computed apart with Python's `hmac`,
/// shown beside each), checked against the receivers' signers and the doubles' verifiers
/// both: a mistake made the same way in a receiver and its double cannot hide.
@Suite struct SignatureVectorTests {
    /// DingTalk, from the `dingding` crate's test of DingTalk's documented algorithm; in Python:
    /// `base64.b64encode(hmac.new(b"secret", b"1700000000000\nsecret", hashlib.sha256).digest())`.
    @Test func dingTalkSign() {
        let expected = "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY="
        #expect(DingTalkReceiver.signature(timestamp: "1700000000000", secret: "secret") == expected)
        #expect(DoubleSignatures.dingTalk(timestamp: "1700000000000", secret: "secret") == expected)
    }

    /// The signed URL carries the millisecond timestamp and the sign URL-encoded (`+ / =`).
    @Test func dingTalkSignedURL() {
        var settings = ReceiverSettings(name: "d", kind: .dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=T")
        settings.secret = "secret"
        let url = DingTalkReceiver(settings: settings).signedURL(now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(
            url == "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000"
                + "&sign=OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D")
    }

    /// Feishu, the documentation's Java sample inputs (secret "demo", timestamp 100); in Python:
    /// `base64.b64encode(hmac.new(b"100\ndemo", b"", hashlib.sha256).digest())`.
    @Test func feishuSign() {
        let expected = "jquNHnVOwmDRfw+vqTIrY5dooJAgi5EcRtLsQE4wfXg="
        #expect(FeishuReceiver.signature(timestamp: "100", secret: "demo") == expected)
        #expect(DoubleSignatures.feishu(timestamp: "100", secret: "demo") == expected)
    }

    /// The Standard Webhooks specification's published test vector.
    @Test func standardWebhooksSignature() throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let key = try #require(WebhookReceiver.key(fromSecret: secret))
        let signed = WebhookReceiver.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, key: key)
        #expect(signed == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let verified = DoubleSignatures.standardWebhooks(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: body, secret: secret)
        #expect(verified == "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    /// Aliyun SMS's documented example of signature V2, StringToSign and all.
    @Test func aliyunSendSmsExample() {
        let parameters = [
            "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
            "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
            "TemplateParam": #"{"customer":"test"}"#, "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
        ]
        let documented =
            "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001"
            + "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF"
            + "%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
            + "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007"
            + "%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z"
            + "%26Version%3D2017-05-25"
        #expect(AliyunRPC.stringToSign(method: "GET", parameters: parameters) == documented)
        #expect(
            AliyunRPC.signature(method: "GET", parameters: parameters, secret: "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
        #expect(
            DoubleSignatures.aliyun(method: "GET", parameters: parameters, secret: "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
        )
    }

    /// Aliyun's RPC documentation's other example (ECS `DescribeRegions`).
    @Test func aliyunDescribeRegionsExample() {
        let parameters = [
            "Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Version": "2014-05-26",
            "Timestamp": "2016-02-23T12:46:24Z",
        ]
        #expect(
            AliyunRPC.signature(method: "GET", parameters: parameters, secret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        #expect(
            DoubleSignatures.aliyun(method: "GET", parameters: parameters, secret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        )
    }

    /// RFC 3986 as Aliyun uses it: a space is `%20`, `*` is encoded, `~` is not.
    @Test func aliyunPercentEncoding() {
        #expect(AliyunRPC.percentEncode("a b") == "a%20b")
        #expect(AliyunRPC.percentEncode("*") == "%2A")
        #expect(AliyunRPC.percentEncode("~-_.") == "~-_.")
        #expect(AliyunRPC.percentEncode("/=&+") == "%2F%3D%26%2B")
        #expect(AliyunRPC.percentEncode("派") == "%E6%B4%BE")
    }
}
