import SmokeGateCore
import Yams

/// `thing_models:`: the operator's code tables for NB-IoT products, because vendors give the
/// same property names different codes. Each key is a platform product id (CTWing
/// `productId`, OneNET product id, IoTDA `product_id`), or `default` for every product not
/// listed; each names only the properties that differ from the built-in table:
///
/// ```yaml
/// thing_models:
///   "15014772":
///     smoke_state: { 0: normal, 1: alarm, 2: test, otherwise: alarm }
///     battery_value: battery        # a reading: battery, signal, smoke or temperature
///     error: ignore                 # this product's `error` means nothing to the gateway
/// ```
///
/// Every misfit (an unknown event name, a code listed twice, a table that is not a mapping)
/// is reported with its line, all in one run.
extension GatewayConfiguration {
    static func readThingModels(_ section: YAMLMapping) -> ThingModelBook {
        var book = ThingModelBook()
        var products: [String: ThingModel] = [:]
        for (key, node) in section.mapping {
            guard let product = key.string, !product.isEmpty else {
                section.log.add(section.file, key.mark?.line, "'thing_models' keys must be product ids or 'default'")
                continue
            }
            guard let table = YAMLMapping(node, file: section.file, path: section.name(product), log: section.log) else {
                continue
            }
            let model = readThingModel(table)
            if product == "default" {
                book.standard = ThingModel.builtIn.overridden(by: model)
            } else {
                products[product] = model
            }
        }
        // Products are merged over the default table, configured or built in.
        book.products = products.mapValues { book.standard.overridden(by: $0) }
        return book
    }

    /// One product's properties: a reading name, `ignore`, or a mapping of codes to meanings.
    private static func readThingModel(_ table: YAMLMapping) -> ThingModel {
        var model = ThingModel()
        for (key, node) in table.mapping {
            guard let identifier = key.string, !identifier.isEmpty else {
                table.log.add(table.file, key.mark?.line, "'\(table.path)' has a property without a name")
                continue
            }
            let name = table.name(identifier)
            switch node {
            case .scalar(let scalar):
                if scalar.string == "ignore" {
                    model.states[identifier] = ThingModel.Codes([:])
                } else if let reading = ThingReading(rawValue: scalar.string) {
                    model.readings[identifier] = reading
                } else {
                    table.log.add(
                        table.file, node.mark?.line,
                        "'\(name)' must be a reading (\(ThingReading.allCases.map(\.rawValue).joined(separator: ", "))), 'ignore', or a mapping of codes to events, got '\(scalar.string)'"
                    )
                }
            case .mapping:
                guard let codes = YAMLMapping(node, file: table.file, path: name, log: table.log) else { continue }
                if let read = readCodes(codes) { model.states[identifier] = read }
            default:
                table.log.add(
                    table.file, node.mark?.line, "'\(name)' must be a reading name, 'ignore', or a mapping of codes to events")
            }
        }
        return model
    }

    /// `{ 0: normal, 1: alarm, otherwise: alarm }`.
    private static func readCodes(_ codes: YAMLMapping) -> ThingModel.Codes? {
        var values: [String: ThingMeaning] = [:]
        var otherwise: ThingMeaning?
        var valid = true
        var lines: [String: Int?] = [:]
        for (key, node) in codes.mapping {
            guard let text = key.string, let code = ThingModel.code(.string(text)), !code.isEmpty else {
                codes.log.add(codes.file, key.mark?.line, "'\(codes.path)' has an empty code")
                valid = false
                continue
            }
            guard case .scalar(let scalar) = node else {
                codes.log.add(codes.file, node.mark?.line, "'\(codes.name(text))' must be an event name")
                valid = false
                continue
            }
            guard let meaning = ThingMeaning(name: scalar.string) else {
                codes.log.add(
                    codes.file, node.mark?.line,
                    "'\(codes.name(text))' names no event: '\(scalar.string)' (expected one of: \(ThingMeaning.names.joined(separator: ", ")))"
                )
                valid = false
                continue
            }
            if text == "otherwise" {
                otherwise = meaning
                continue
            }
            if let earlier = lines[code] {
                let place = earlier.map { " (line \($0))" } ?? ""
                codes.log.add(
                    codes.file, key.mark?.line, "'\(codes.path)' lists code '\(code)' twice\(place): '\(text)' is the same code")
                valid = false
                continue
            }
            lines[code] = key.mark?.line
            values[code] = meaning
        }
        guard valid else { return nil }
        if values.isEmpty, otherwise == nil {
            codes.log.add(codes.file, codes.line, "'\(codes.path)' lists no codes (write 'ignore' to ignore the property)")
            return nil
        }
        return ThingModel.Codes(values, otherwise: otherwise)
    }
}
