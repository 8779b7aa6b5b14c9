import Foundation
import Testing
import Kconfig
@testable import Planner

/// Times a full plan of the 0.17 helloworld case (read the tree, evaluate the seed, write
/// `.config`): parsing every time, from a warm disk cache, from memory. Run by
/// `scripts/bench-kconfig.sh`; skipped unless `MANIFESTC_BENCH` is set.
/// Tests never assert a wall-clock time: this only prints numbers.
@Suite struct KconfigBenchmark {
    static var enabled: Bool { ProcessInfo.processInfo.environment["MANIFESTC_BENCH"] != nil && RealTreeTests.available }

    @Test(.enabled(if: KconfigBenchmark.enabled, "set MANIFESTC_BENCH=1 and MANIFESTC_UNIKRAFT_TREES"))
    func planHelloworld017() throws {
        let trees = RealTreeTests.trees!
        let seed = try String(contentsOfFile: RealTreeTests.corpus + "/hello-017-qemu-x86_64.seed", encoding: .utf8)
        let runs = Int(ProcessInfo.processInfo.environment["MANIFESTC_BENCH_RUNS"] ?? "") ?? 30
        let tree = UnikraftTree(base: trees + "/unikraft-0.17", app: trees + "/app-helloworld", name: "helloworld",
                                hostArch: "x86_64", gitRevision: "484ff209a5265bc4b2366041f149534922d0e5c8")
        func rssKB() -> Int {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss
        }
        let rssBefore = rssKB()
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }
        let cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: cacheFolder) }
        let memory = KconfigTreeCache()
        // Without a cache (every run parses), with the disk cache warm (a new process: a fresh
        // cache object reading the file), and with the tree in memory (the next target or manifest).
        let modes: [(name: String, cache: () -> KconfigTreeCache?)] = [
            ("parse", { nil }),
            ("disk cache", { KconfigTreeCache(directory: cacheFolder, producer: "bench") }),
            ("memory cache", { memory }),
        ]
        var report = ""
        for mode in modes {
            _ = tree.load(fileSystem: DiskKconfigFileSystem(), cache: mode.cache())  // fills the caches
            var times: [Double] = []
            var phases: [(Double, Double, Double)] = []
            var output = ""
            for _ in 0..<runs {
                let start = now()
                let (kconfig, _) = tree.load(fileSystem: DiskKconfigFileSystem(), cache: mode.cache())
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
            times.sort()
            report += String(format: "manifestc plan (%@): runs=%d min=%.2f ms median=%.2f ms max=%.2f ms (load %.2f, evaluate %.2f, write %.2f) lines=%d\n",
                             mode.name, runs, times.first!, times[times.count / 2], times.last!, phase.0, phase.1, phase.2,
                             output.utf8.filter { $0 == 10 }.count)
        }
        report += "peak_rss=\(rssKB()) KB rss_growth=\(rssKB() - rssBefore) KB\n"
        print(report, terminator: "")
        if let out = ProcessInfo.processInfo.environment["MANIFESTC_BENCH_OUT"] { try report.write(toFile: out, atomically: true, encoding: .utf8) }
    }
}
