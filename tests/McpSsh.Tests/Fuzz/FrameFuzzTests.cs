using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace McpSsh.Tests.Fuzz;

/// <summary>
/// Issue 11's guard: generated and mutated frames through every parser of the relay and the gateway. The seed
/// is fixed (MCP_SSH_FUZZ_SEED explores others); a failure names the seed, the case number and the input.
/// Every file in Fuzz/corpus (one case per file, raw bytes) is replayed on every run: put each crash found there.
/// </summary>
public class FrameFuzzTests
{
    private const int DefaultSeed = 20261129;
    private const int Frames = 100_000;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("MCP_SSH_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : DefaultSeed;

    [Fact]
    public void GeneratedFrames_NoExceptionEscapes_AndEveryOutputIsOneJsonObject()
    {
        int seed = Seed;
        var generator = new FrameGenerator(seed);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Frames; i++)
        {
            byte[] frame = generator.Next();
            if (FuzzTargets.Run(frame, i) is { } problem)
            {
                Assert.Fail($"fuzz seed {seed}, case {i}: {problem}\ninput: {FrameGenerator.Describe(frame)}\n(save the input as a file in tests/McpSsh.Tests/Fuzz/corpus to keep it)");
            }
        }

        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the fuzz suite took {clock.Elapsed}; keep it modest");
    }

    [Fact]
    public void FrameStreams_InRandomSegments_SplitIntoWholeLines()
    {
        int seed = Seed + 1;
        var generator = new FrameGenerator(seed);
        for (int i = 0; i < 2_000; i++)
        {
            var stream = new List<byte>();
            int count = 1 + generator.NextInt(8);
            for (int f = 0; f < count; f++)
            {
                stream.AddRange(generator.Next());
                stream.AddRange(generator.NextInt(4) switch { 0 => "\r\n"u8.ToArray(), 1 => "\n\n"u8.ToArray(), _ => "\n"u8.ToArray() });
            }

            byte[] bytes = [.. stream];
            int[] cuts = bytes.Length < 2 ? [] : [.. Enumerable.Range(0, generator.NextInt(6)).Select(_ => 1 + generator.NextInt(bytes.Length - 1)).Distinct().Order()];
            long max = generator.NextInt(3) == 0 ? 16 + generator.NextInt(200) : 1 << 20;
            if (FuzzTargets.RunFramer(bytes, cuts, max) is { } problem)
            {
                Assert.Fail($"fuzz seed {seed}, stream {i} (max {max}, cuts {string.Join(',', cuts)}): {problem}\ninput: {FrameGenerator.Describe(bytes)}");
            }
        }
    }

    [Fact]
    public void Corpus_EveryCaseReplays()
    {
        string[] cases = [.. Directory.GetFiles(CorpusDirectory()).Where(f => !Path.GetFileName(f).StartsWith('.'))];
        Assert.True(cases.Length >= 10, $"the corpus at {CorpusDirectory()} has only {cases.Length} cases");
        foreach (string path in cases)
        {
            byte[] frame = File.ReadAllBytes(path);
            for (int variant = 0; variant < 30; variant++)
            {
                if (FuzzTargets.Run(frame, variant) is { } problem)
                {
                    Assert.Fail($"corpus case {Path.GetFileName(path)} (variant {variant}): {problem}\ninput: {FrameGenerator.Describe(frame)}");
                }
            }

            if (FuzzTargets.RunFramer([.. frame, .. "\n"u8, .. frame], [], 1 << 20) is { } streamProblem)
            {
                Assert.Fail($"corpus case {Path.GetFileName(path)} as a stream: {streamProblem}");
            }
        }
    }

    private static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "McpSsh.Tests", "Fuzz", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/McpSsh.Tests/Fuzz/corpus not found above " + AppContext.BaseDirectory);
    }
}
