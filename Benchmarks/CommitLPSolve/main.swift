import Advisor
import CommitmentSupport
import Foundation

// The capsim side of peers/compare-commit-lp.sh: solves a commit_lp.py input file and
// prints one JSON line (total cost over the hours, solve seconds, proven gap).
guard CommandLine.arguments.count == 2 else {
  FileHandle.standardError.write(Data("usage: commit-lp-solve INPUT.json\n".utf8))
  exit(2)
}
do {
  let problem = try PeerProblem.load(path: CommandLine.arguments[1])
  let start = DispatchTime.now().uptimeNanoseconds
  let solution = CommitmentOptimizer().solve(problem, rounds: false)
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  let hours = Double(problem.usage.hours)
  print(
    "{\"total_cost_usd\": \(solution.continuousHourlyCost * hours), \"lower_bound_usd\": \(solution.lowerBound * hours), "
      + "\"compute_sp_commitment_usd_per_hour\": \(solution.continuous.computeCommitment), "
      + "\"iterations\": \(solution.iterations), \"solve_seconds\": \(seconds)}")
} catch {
  FileHandle.standardError.write(Data("commit-lp-solve: \(error)\n".utf8))
  exit(1)
}
