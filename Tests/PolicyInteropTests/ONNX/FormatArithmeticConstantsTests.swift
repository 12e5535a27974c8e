import PolicyFormat
@testable import PolicyInterop
import XCTest

/// The ONNX writer restates the format's tanh and eˣ − 1 constants; these must give exactly
/// PolicyFormat's bits, or the exported graph would silently compute something else.
final class FormatArithmeticConstantsTests: XCTestCase {
    private func inputs() -> [Float] {
        var values: [Float] = [0, -0, 1e-30, -1e-30, 7.90531110763549805, -7.90531110763549805, 8, -8, 100, -100,
                               -88, -87.9, -88.1, -1e30, 1e30, Float.leastNormalMagnitude, -Float.leastNormalMagnitude]
        var x: Float = -100
        while x <= 100 { values.append(x); x += 0.00731 }
        var rng = SeededRandom(state: 99)
        for _ in 0..<100_000 { values.append(rng.normal(3)) }
        return values
    }

    func test_restated_tanh_equals_policy_format_tanh_bit_for_bit() {
        for x in inputs() {
            XCTAssertEqual(FormatArithmeticConstants.tanh(x).bitPattern, Activation.tanh(x).bitPattern, "tanh(\(x))")
        }
    }

    func test_restated_exp_minus_one_with_a_power_of_two_equals_policy_formats_bit_for_bit() {
        for x in inputs() where x <= 0 {
            XCTAssertEqual(FormatArithmeticConstants.expMinusOne(x).bitPattern, Activation.expMinusOne(x).bitPattern, "expm1(\(x))")
        }
    }
}
