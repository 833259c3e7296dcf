/// The thing-model tables by product: the platform's product id (CTWing `productId`, OneNET
/// product id, IoTDA `product_id`) picks a product's table, and a push from a product the book
/// does not list is read with the default one. Kept apart from the decoders so that the
/// operator's configuration, not a release, says what a vendor's codes mean.
public struct ThingModelBook: Sendable, Equatable {
    /// The table for products the book does not list: the built-in one unless configured.
    public var standard: ThingModel
    /// Tables by product id, each already merged over `standard`.
    public var products: [String: ThingModel]

    public init(standard: ThingModel = .builtIn, products: [String: ThingModel] = [:]) {
        self.standard = standard
        self.products = products
    }

    /// The built-in table and no product of its own.
    public static let builtIn = ThingModelBook()

    /// The table for `productID` (the default one when it is nil or not listed).
    public func model(for productID: String?) -> ThingModel {
        guard let productID, let model = products[productID] else { return standard }
        return model
    }

    /// Every state property any table names: what a quick scan must treat as possibly an alarm.
    public var stateIdentifiers: Set<String> {
        var identifiers = Set(standard.states.keys)
        for model in products.values { identifiers.formUnion(model.states.keys) }
        return identifiers
    }
}
