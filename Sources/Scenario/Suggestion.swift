/// "Did you mean ...?" for a misspelt key or value, after swift-argument-parser's
/// UsageGenerator: the candidate with the smallest edit distance, if it is close enough to
/// be a typo (at most 2 edits, or a third of the word for long words), or equal ignoring case.
enum Suggestion {
  static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
    let lowered = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      if candidate.lowercased() == lowered { return candidate }
      let distance = editDistance(lowered, candidate.lowercased())
      if distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    guard let best else { return nil }
    let limit = max(2, min(word.count, best.candidate.count) / 3)
    return best.distance <= limit ? best.candidate : nil
  }

  /// Levenshtein distance (insertions, deletions, substitutions), over Characters.
  /// - Complexity: O(a.count × b.count) time, O(b.count) space.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
