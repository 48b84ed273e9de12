import ArgumentParser
import Foundation

/// Messages go to stderr so stdout carries only the report.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("capsim: error: \(message)\n".utf8))
}

/// Runs `body`, turning any error into its sentence on stderr and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ExitCode {
    throw error
  } catch {
    printError(String(describing: error))
    throw ExitCode.failure
  }
}
