import Foundation

/// Small pieces for the dashboard's inline SVG charts: text escaping, coordinates that are
/// always finite, and a linear axis with round ticks that survives degenerate data (no
/// values, one value, all-equal values, infinities) without dividing by zero.
enum SVGChart {
  /// `&`, `<`, `>`, `"` and `'` as entities: safe in HTML/XML text and in quoted attributes.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        // Control characters other than tab and newline are not allowed in XML.
        if c.value < 0x20 && c != "\t" && c != "\n" { out += " " } else { out.unicodeScalars.append(c) }
      }
    }
    return out
  }

  /// A coordinate with one decimal; a non-finite value (a bug upstream) becomes 0, never NaN.
  static func n(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let text = String(format: "%.1f", value)
    return text == "-0.0" ? "0.0" : text
  }

  /// A linear axis over round bounds. `lower < upper` always holds.
  struct Axis {
    var lower: Double
    var upper: Double
    var step: Double

    /// The finite `values` and `including`, padded by `padding` of the span each side
    /// (never below 0 when every value is non-negative), widened to whole ticks.
    init(_ values: [Double], including: [Double] = [], padding: Double = 0.05, targetTicks: Int = 5) {
      let finite = (values + including).filter(\.isFinite)
      var lo = finite.min() ?? 0
      var hi = finite.max() ?? 1
      if hi - lo <= 0 {
        let half = lo == 0 ? 1 : abs(lo) * 0.5
        lo -= half
        hi += half
      }
      let allNonNegative = finite.allSatisfy { $0 >= 0 }
      let pad = (hi - lo) * padding
      lo -= pad
      hi += pad
      if allNonNegative { lo = max(0, lo) }
      step = Self.niceStep((hi - lo) / Double(max(1, targetTicks)))
      lower = (lo / step).rounded(.down) * step
      upper = (hi / step).rounded(.up) * step
      if upper - lower <= 0 { upper = lower + step }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
      guard raw.isFinite, raw > 0 else { return 1 }
      let magnitude = pow(10, (log10(raw)).rounded(.down))
      for m in [1.0, 2, 5, 10] where m * magnitude >= raw * (1 - 1e-12) { return m * magnitude }
      return 10 * magnitude
    }

    var ticks: [Double] {
      let first = Int((lower / step).rounded())
      let last = Int((upper / step).rounded())
      guard last >= first, last - first <= 50 else { return [lower, upper] }
      return (first...last).map { Double($0) * step }
    }

    /// Decimals that show the step exactly (at most 6).
    var decimals: Int { min(6, max(0, Int((-log10(step)).rounded(.up)))) }

    func label(_ value: Double) -> String {
      let text = String(format: "%.\(decimals)f", value)
      return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text
    }

    /// Maps `value` from [lower, upper] onto [from, to], clamped to the range.
    func position(_ value: Double, from: Double, to: Double) -> Double {
      guard value.isFinite else { return from }
      let t = min(1, max(0, (value - lower) / (upper - lower)))
      return from + t * (to - from)
    }

    func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
  }

  /// The plot area of a `width` × `height` chart: margins for tick labels and axis titles.
  struct Frame {
    var width = 640.0
    var height = 300.0
    var left = 70.0
    var right = 20.0
    var top = 16.0
    var bottom = 46.0
    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    func open(label: String) -> String {
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(escape(label))\" class=\"chart\">\n"
        + "<title>\(escape(label))</title>\n"
    }

    /// Grid lines, tick labels and axis titles for `x` and (if given) `y`.
    func axes(x: Axis, xTitle: String, y: Axis?, yTitle: String) -> String {
      var out = "<g class=\"axes\">\n"
      for t in x.ticks {
        let px = n(x.position(t, from: plotLeft, to: plotRight))
        out += "<line class=\"grid\" x1=\"\(px)\" y1=\"\(n(plotTop))\" x2=\"\(px)\" y2=\"\(n(plotBottom))\"/>"
        out += "<text class=\"tick\" x=\"\(px)\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(escape(x.label(t)))</text>\n"
      }
      if let y {
        for t in y.ticks {
          let py = n(y.position(t, from: plotBottom, to: plotTop))
          out += "<line class=\"grid\" x1=\"\(n(plotLeft))\" y1=\"\(py)\" x2=\"\(n(plotRight))\" y2=\"\(py)\"/>"
          out += "<text class=\"tick\" x=\"\(n(plotLeft - 6))\" y=\"\(py)\" dy=\"0.32em\" text-anchor=\"end\">\(escape(y.label(t)))</text>\n"
        }
      }
      out += "<rect class=\"frame\" x=\"\(n(plotLeft))\" y=\"\(n(plotTop))\" width=\"\(n(plotRight - plotLeft))\" height=\"\(n(plotBottom - plotTop))\"/>\n"
      out += "<text class=\"axis-title\" x=\"\(n((plotLeft + plotRight) / 2))\" y=\"\(n(height - 8))\" text-anchor=\"middle\">\(escape(xTitle))</text>\n"
      if !yTitle.isEmpty {
        let cy = (plotTop + plotBottom) / 2
        out += "<text class=\"axis-title\" x=\"14\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n(cy)))\">\(escape(yTitle))</text>\n"
      }
      return out + "</g>\n"
    }
  }
}
