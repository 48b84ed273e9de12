/// How many terminal columns text takes, so that tables line up for Korean, Japanese and
/// Chinese names: East Asian wide and fullwidth characters (Unicode East Asian Width W and
/// F, UAX #11) and emoji take two columns, combining marks and zero-width format
/// characters none, everything else one. Counted per grapheme cluster (`Character`), so a
/// Hangul syllable written as conjoining jamo counts once.
///
///     TerminalWidth.of("주문팀")        // 6
///     TerminalWidth.of("order-api")     // 9
///     TerminalWidth.padded("주문팀", to: 8, leftAligned: true)   // "주문팀  "
///
/// The East Asian Width property is not in Swift's Unicode data, so the wide ranges are
/// listed here (the blocks UAX #11 assigns W or F as a whole); ambiguous-width characters
/// count as narrow, as terminals outside East Asian locales show them.
public enum TerminalWidth {
  public static func of(_ text: String) -> Int {
    var width = 0
    for character in text { width += columns(character) }
    return width
  }

  /// `text` with spaces added on the right (left-aligned) or left to fill `columns`.
  public static func padded(_ text: String, to columns: Int, leftAligned: Bool) -> String {
    let pad = String(repeating: " ", count: max(0, columns - of(text)))
    return leftAligned ? text + pad : pad + text
  }

  static func columns(_ character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    switch first.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return 0
    default: break
    }
    if isWide(first.value) || first.properties.isEmojiPresentation { return 2 }
    return 1
  }

  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F,  // Hangul Jamo initial consonants
    0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols
    0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility jamo, CJK compatibility
    0x3400...0x4DBF,  // CJK extension A
    0x4E00...0x9FFF,  // CJK unified ideographs
    0xA000...0xA4CF,  // Yi
    0xA960...0xA97F,  // Hangul Jamo extended A
    0xAC00...0xD7A3,  // Hangul syllables
    0xF900...0xFAFF,  // CJK compatibility ideographs
    0xFE10...0xFE19,  // vertical forms
    0xFE30...0xFE6F,  // CJK compatibility forms, small forms
    0xFF00...0xFF60,  // fullwidth forms
    0xFFE0...0xFFE6,  // fullwidth signs
    0x1F300...0x1F64F, 0x1F900...0x1F9FF,  // pictographs, emoticons
    0x20000...0x2FFFD, 0x30000...0x3FFFD,  // CJK extensions B and later
  ]

  static func isWide(_ value: UInt32) -> Bool {
    guard value >= 0x1100 else { return false }
    return wideRanges.contains { $0.contains(value) }
  }
}
