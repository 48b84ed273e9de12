import Testing

@testable import Reporting

/// Tables line up in a terminal for Korean (and other wide) names: widths are counted in
/// terminal columns, a Hangul syllable taking two.
@Suite struct TerminalWidthTests {
  @Test("terminal columns: Hangul, CJK and fullwidth take two, combining marks none, ASCII one")
  func widths() {
    #expect(TerminalWidth.of("order-api") == 9)
    #expect(TerminalWidth.of("주문팀") == 6)
    #expect(TerminalWidth.of("배달-api") == 8)
    #expect(TerminalWidth.of("東京") == 4)
    #expect(TerminalWidth.of("ＡＢ") == 4)  // fullwidth Latin
    #expect(TerminalWidth.of("e\u{301}") == 1)  // e + combining acute: one grapheme, one column
    #expect(TerminalWidth.of("\u{1100}\u{1161}\u{11A8}") == 2)  // 각 as conjoining jamo
    #expect(TerminalWidth.of("") == 0)
    #expect(TerminalWidth.padded("주문팀", to: 8, leftAligned: true) == "주문팀  ")
    #expect(TerminalWidth.padded("7", to: 3, leftAligned: false) == "  7")
  }

  @Test("a table with Korean service and team names: every column starts at the same terminal column")
  func koreanTableLinesUp() {
    let grid = TextGrid(
      headers: ["service", "team", "cost USD"],
      rows: [["주문-api", "주문팀", "1,234.50"], ["menu-search", "검색팀", "12.00"], ["결제", "payments", "7.25"]],
      leftAligned: [0, 1])
    let lines = grid.rendered().split(separator: "\n").map(String.init)
    // Column starts, in terminal columns: service 0, team 13 (11 + 2), cost 23 (13 + 8 + 2).
    #expect(lines[0] == "service      team      cost USD")
    #expect(lines[2] == "주문-api     주문팀    1,234.50")
    #expect(lines[3] == "menu-search  검색팀       12.00")
    #expect(lines[4] == "결제         payments      7.25")
    // Right-aligned last column: every row ends at the same terminal column.
    let ends = lines.filter { !$0.hasPrefix("-") }.map(TerminalWidth.of)
    #expect(Set(ends) == [31])
  }
}
