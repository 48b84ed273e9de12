/// What capsim's HTML pages share (`capsim recommend --format html`, `capsim run --format
/// html`): the document head, one stylesheet (system fonts with Korean fallbacks, cards,
/// tables, chart marks, narrow-screen and print rules) and the scrolling table boxes.
/// A page adds its own rules after the shared ones.
enum HTMLPage {
  /// `<!DOCTYPE html>` through `<body>`: XHTML-compatible head, the title escaped, the
  /// shared stylesheet followed by `extraCSS`.
  static func open(title: String, extraCSS: String = "") -> String {
    var out = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
    out += "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
    out += "<title>\(SVGChart.escape(title))</title>\n<style>\n\(css)\(extraCSS)</style>\n</head>\n<body>\n"
    return out
  }

  /// Every table in its own horizontally scrolling box, so a wide table scrolls inside the
  /// page instead of widening it (at 390 px, a phone, the purchase table is twice the
  /// screen). User text is escaped before it gets here, so `<table` and `</table>` can
  /// only be the page's own markup.
  static func scrollingTables(_ html: String) -> String {
    html.replacingOccurrences(of: "<table", with: "<div class=\"scroll\"><table")
      .replacingOccurrences(of: "</table>", with: "</table></div>")
  }

  static let css = """
    body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,"Apple SD Gothic Neo","Malgun Gothic","Noto Sans CJK KR","NanumGothic",sans-serif;color:#1d2530;background:#f6f7f9;margin:0 auto;max-width:1080px;padding:16px 24px 48px}
    h1{font-size:22px;margin:8px 0 2px}h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #d5dae1;padding-bottom:4px}
    h3{font-size:15px;margin:20px 0 6px}.muted{color:#5b6675}
    .cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}.card{background:#fff;border:1px solid #d5dae1;border-radius:6px;padding:10px 14px;flex:1 1 300px}
    .big{font-size:24px;font-weight:600}.good{color:#1a7f37}.bad{color:#c62828}
    table{border-collapse:collapse;background:#fff;margin:6px 0 10px;font-size:13px}
    th,td{border:1px solid #d5dae1;padding:3px 8px;vertical-align:top}th{background:#eef1f5;text-align:left;font-weight:600}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.chosen td{background:#e7f5ea;font-weight:600}tr.ours td{background:#e8f0fd;font-weight:600}
    .chart{width:100%;max-width:720px;height:auto;background:#fff;border:1px solid #d5dae1;border-radius:6px;display:block;margin:8px 0}
    .chart text{font-size:11px;fill:#1d2530}.chart .tick{fill:#5b6675}.chart .label{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.chart .axis-title{font-size:12px;font-weight:600}
    .chart .grid{stroke:#e3e7ec;stroke-width:1}.chart .frame{fill:none;stroke:#9aa5b1}
    .chart .variant{fill:#9aa5b1;fill-opacity:.55}.chart .variant.meets{fill:#3b82c4}.chart .front{fill:none;stroke:#3b82c4;stroke-width:1.5}
    .chart .current{fill:#e07b00;stroke:#fff}.chart .chosen{fill:#1a7f37;stroke:#fff}.chart .limit{stroke:#c62828;stroke-dasharray:6 4;stroke-width:1.5}
    .chart .limit-label{fill:#c62828}.chart .curve{fill:none;stroke:#3b82c4;stroke-width:2}.chart .scaled{fill:none;stroke:#3b82c4;stroke-width:2;stroke-dasharray:5 4}
    .chart .point{fill:#3b82c4}.chart .optimum{fill:#1a7f37;stroke:#fff}.chart .bar{fill:#9aa5b1}.chart .bar.ours{fill:#3b82c4}.chart .bar.same{fill:#c7ced6}
    .chart .zero{stroke:#1d2530;stroke-width:1}.chart .range{stroke:#3b82c4;stroke-width:8;stroke-linecap:round;stroke-opacity:.35}.chart .p50{fill:#3b82c4}
    ul.policies li,ul.notes li{margin:2px 0}footer{margin-top:36px;color:#5b6675;font-size:12px}
    .scroll{max-width:100%;overflow-x:auto}body{overflow-wrap:anywhere}
    @media (max-width:600px){body{padding:8px 10px 32px}.card{flex-basis:100%}}
    @media print{body{background:#fff;max-width:none;padding:0}.scroll{overflow:visible}.card,table,.chart{break-inside:avoid}}

    """
}
