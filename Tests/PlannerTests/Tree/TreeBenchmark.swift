import Foundation
import Testing
import Kconfig
@testable import Planner

/// Times a full plan of the 0.17 helloworld case (read the tree, evaluate the seed, write
/// `.config`). Run by `scripts/bench-kconfig.sh`; skipped unless `MANIFESTC_BENCH` is set.
/// Tests never assert a wall-clock time: this only prints numbers.
@Suite struct KconfigBenchmark {
    static var enabled: Bool { ProcessInfo.processInfo.environment["MANIFESTC_BENCH"] != nil && RealTreeTests.available }

    @Test(.enabled(if: KconfigBenchmark.enabled, "set MANIFESTC_BENCH=1 and MANIFESTC_UNIKRAFT_TREES"))
    func planHelloworld017() throws {
        let trees = RealTreeTests.trees!
        let seed = try String(contentsOfFile: RealTreeTests.corpus + "/hello-017-qemu-x86_64.seed", encoding: .utf8)
        let runs = Int(ProcessInfo.processInfo.environment["MANIFESTC_BENCH_RUNS"] ?? "") ?? 30
        func rssKB() -> Int {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss
        }
        let rssBefore = rssKB()
        var times: [Double] = []
        var phases: [(Double, Double, Double)] = []
        var output = ""
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }
        for _ in 0..<runs {
            let start = now()
            let tree = UnikraftTree(base: trees + "/unikraft-0.17", app: trees + "/app-helloworld",
                                    name: "helloworld", hostArch: "x86_64",
                                    gitRevision: "484ff209a5265bc4b2366041f149534922d0e5c8")
            let (kconfig, _) = tree.load(fileSystem: DiskKconfigFileSystem())
            let loaded = now()
            let (config, _) = kconfig.evaluate(seed: ConfigReader.read(seed, file: "seed").assignments)
            let evaluated = now()
            output = ConfigWriter.write(config)
            let end = now()
            times.append(end - start)
            phases.append((loaded - start, evaluated - loaded, end - evaluated))
        }
        phases.sort { $0.0 + $0.1 + $0.2 < $1.0 + $1.1 + $1.2 }
        let phase = phases[phases.count / 2]
        print(String(format: "phases (median run): load %.2f ms, evaluate %.2f ms, write %.2f ms", phase.0, phase.1, phase.2))
        times.sort()
        let out = ProcessInfo.processInfo.environment["MANIFESTC_BENCH_OUT"]
        let report = String(format: "manifestc plan: runs=%d min=%.2f ms median=%.2f ms max=%.2f ms lines=%d peak_rss=%d KB rss_growth=%d KB\n",
                            runs, times.first!, times[times.count / 2], times.last!,
                            output.utf8.filter { $0 == 10 }.count, rssKB(), rssKB() - rssBefore)
        print(report, terminator: "")
        if let out { try report.write(toFile: out, atomically: true, encoding: .utf8) }
    }
}
