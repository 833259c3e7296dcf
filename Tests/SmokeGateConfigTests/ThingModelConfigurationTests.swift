import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// `thing_models:`: an operator's per-product code tables, merged over the built-in one, and
/// every mistake in them reported at once with its line.
@Suite struct ThingModelConfigurationTests {
    func files(_ models: String) throws -> ReceiverFixture {
        try ReceiverFixture(models, chain: ReceiverConfigurationTests.chainWithoutReceivers)
    }

    @Test func aProductsTableIsMergedOverTheBuiltInOne() throws {
        let fixture = try files(
            """
            thing_models:
              "15045240":
                smoke_state: { 0: normal, 1: test, 2: alarm, otherwise: alarm }
                power: battery
                error: ignore
              default:
                tamper_alarm: { 1: tamper, 2: tamper_clear }
            """)
        let models = try fixture.load().thingModels
        let product = models.model(for: "15045240")
        #expect(
            product.states["smoke_state"]
                == .init(["0": .normal, "1": .event(.test), "2": .event(.alarm)], otherwise: .event(.alarm)))
        #expect(product.readings["power"] == .battery)
        #expect(product.states["error"] == nil, "ignored for this product")
        #expect(product.readings["battery_value"] == .battery, "the rest of the built-in table stays")
        #expect(
            product.states["tamper_alarm"] == .init(["1": .event(.tamper), "2": .event(.tamperClear)]),
            "over the configured default")
        #expect(models.model(for: "other").states["smoke_state"] == ThingModel.builtIn.states["smoke_state"])
        #expect(models.model(for: "other").states["error"] != nil)
    }

    @Test func withoutTheSectionTheBuiltInTableIsUsed() throws {
        #expect(try files("").load().thingModels == .builtIn)
    }

    @Test func everyMistakeIsReportedAtOnceWithItsLine() throws {
        let fixture = try files(
            """
            thing_models:
              "15045240":
                smoke_state: { 0: normal, 1: fire }
                tamper_alarm: { 1: tamper, "01": tamper_clear }
                battery_value: voltage
                error: {}
              "633PH": [smoke_state]
            """)
        let problems = fixture.problems()
        fixture.expectProblem(problems, at: "smoke_state: { 0", "'thing_models.15045240.smoke_state.1' names no event: 'fire'")
        fixture.expectProblem(problems, at: "tamper_alarm:", "lists code '1' twice")
        fixture.expectProblem(problems, at: "battery_value:", "must be a reading (battery, signal, smoke, temperature)")
        fixture.expectProblem(problems, at: "error: {}", "lists no codes")
        fixture.expectProblem(problems, at: "633PH", "thing_models.633PH must be a mapping")
        #expect(problems.count == 5, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func theSectionIsAKnownKey() throws {
        let fixture = try files("thing_modles: {}")
        fixture.expectProblem(fixture.problems(), at: "thing_modles", "unknown key 'thing_modles'")
        #expect(try files("thing_models: {}").problems().isEmpty)
    }
}
