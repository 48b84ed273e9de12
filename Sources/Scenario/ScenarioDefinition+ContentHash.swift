import Foundation

extension ScenarioDefinition {
  /// SHA-256 over the scenario file's bytes and those of every data file it names (demand
  /// files, a prices catalog and rates file), each preceded by its length: what a shard part
  /// records so that `capsim merge` refuses parts computed from different inputs. The paths
  /// themselves are not hashed, so the same files checked out elsewhere hash the same.
  public func contentSHA256(scenarioPath: String) throws(ScenarioError) -> String {
    let files = [URL(fileURLWithPath: scenarioPath)] + dataFiles
    var hash = SHA256()
    for url in files {
      let data: Data
      do { data = try Data(contentsOf: url) } catch {
        throw SourceLocation(file: file, line: 0, column: 0).error(
          .fileUnreadable(path: url.path, reason: error.localizedDescription))
      }
      withUnsafeBytes(of: UInt64(data.count).bigEndian) { hash.update($0) }
      hash.update(data)
    }
    return hash.finalizeHex()
  }

  /// The data files the scenario names, in file order: demand files (CSV, arrivals,
  /// CloudWatch JSON), a prices catalog and its rates file.
  public var dataFiles: [URL] {
    var files: [URL] = []
    for demand in (hasServices ? services.map(\.demand) : [demand]) {
      switch demand.source {
      case .csv(let url), .arrivals(let url), .cloudWatch(let url, _, _): files.append(url)
      case .synthetic: break
      }
    }
    if let prices {
      files.append(prices.catalog)
      if let rates = prices.savingsPlanRates { files.append(rates) }
    }
    return files
  }
}
