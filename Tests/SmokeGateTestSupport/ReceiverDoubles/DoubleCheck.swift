/// What a vendor's double makes of a request: taken (and what it carried), or refused the
/// way the vendor refuses it.
enum DoubleCheck {
    struct Taken {
        var to: String
        var text: String
        var fields: [String: String]
        var link: String?
        var code: String?
    }
    case taken(Taken)
    case rejected(DoubleReply, String)
}
