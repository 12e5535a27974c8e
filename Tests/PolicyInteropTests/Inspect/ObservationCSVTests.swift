@testable import PolicyInterop
import XCTest

final class ObservationCSVTests: XCTestCase {
    func test_header_comment_and_blank_lines_are_skipped() throws {
        let rows = try ObservationCSV.parse("theta,dtheta\n# a comment\n\n1, 2.5\n-3e-2,4\n", width: 2)
        XCTAssertEqual(rows, [[1, 2.5], [-0.03, 4]])
    }

    func test_wrong_width_and_non_numbers_name_the_line() {
        XCTAssertThrowsError(try ObservationCSV.parse("1,2\n1,2,3\n", width: 2)) { error in
            XCTAssertTrue("\(error)".contains("line 2 has 3 values"), "\(error)")
        }
        XCTAssertThrowsError(try ObservationCSV.parse("1,x2\n", width: 2)) { error in
            XCTAssertTrue("\(error)".contains("'x2' is not a number"), "\(error)")
        }
    }

    func test_formatted_values_read_back_as_the_same_floats() throws {
        let values: [Float] = [0.1, -1e-7, 3.4028235e38, 1.17549435e-38, 0.33333334]
        let text = ObservationCSV.format([values], header: ["a", "b", "c", "d", "e"])
        XCTAssertEqual(try ObservationCSV.parse(text, width: 5), [values])
    }
}
