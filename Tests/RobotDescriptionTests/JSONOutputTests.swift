import Foundation
import RobotDescription
import Testing

@Suite struct JSONOutputTests {
    struct Sample: Encodable {
        var meanUprightS: Double
        var timeToSuccessS: Double?
        var policyPath: String
        var worst: Double
    }

    @Test func snakeCaseSortedUnescapedAndNonFiniteAsNull() throws {
        let text = try JSONOutput.string(Sample(meanUprightS: .nan, timeToSuccessS: .infinity,
                                                policyPath: "runs/a/final.policy", worst: 1.5))
        #expect(text.contains("\"mean_upright_s\" : null"), "\(text)")
        #expect(text.contains("\"time_to_success_s\" : null"))
        #expect(text.contains("\"policy_path\" : \"runs/a/final.policy\""))
        #expect(!text.contains("nan") && !text.contains("inf"))
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).keys
        #expect(keys.sorted() == ["mean_upright_s", "policy_path", "time_to_success_s", "worst"])
        #expect(text.range(of: "mean_upright_s")!.lowerBound < text.range(of: "worst")!.lowerBound)
    }
}
