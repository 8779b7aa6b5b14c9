import Foundation
import Testing
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
        var output = ""
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let tree = UnikraftTree(base: trees + "/unikraft-0.17", app: trees + "/app-helloworld",
                                    name: "helloworld", hostArch: "x86_64",
                                    gitRevision: "484ff209a5265bc4b2366041f149534922d0e5c8")
            let (kconfig, _) = tree.load(fileSystem: DiskKconfigFileSystem())
            let (config, _) = kconfig.evaluate(seed: ConfigReader.read(seed, file: "seed").assignments)
            output = ConfigWriter.write(config)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        let out = ProcessInfo.processInfo.environment["MANIFESTC_BENCH_OUT"]
        let report = String(format: "manifestc plan: runs=%d min=%.2f ms median=%.2f ms max=%.2f ms lines=%d peak_rss=%d KB rss_growth=%d KB\n",
                            runs, times.first!, times[times.count / 2], times.last!,
                            output.utf8.filter { $0 == 10 }.count, rssKB(), rssKB() - rssBefore)
        print(report, terminator: "")
        if let out { try report.write(toFile: out, atomically: true, encoding: .utf8) }
    }
}
