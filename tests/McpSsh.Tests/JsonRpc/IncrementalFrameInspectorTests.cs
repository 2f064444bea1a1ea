using System.Buffers;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Tests.Fuzz;

namespace McpSsh.Tests.JsonRpc;

/// <summary>
/// The streamed-frame inspector must give, for any way a line is cut into parts, the verdict and id
/// <see cref="FrameInspector.Inspect"/> gives the whole line (a differential test over generated, mutated and
/// long frames), and say as soon as a frame is doomed.
/// </summary>
public class IncrementalFrameInspectorTests
{
    private const long Unlimited = long.MaxValue;

    /// <summary>Feeds <paramref name="frame"/> cut at <paramref name="cuts"/> and returns the verdict.</summary>
    internal static FrameInspection Fed(byte[] frame, IEnumerable<int> cuts, bool captureMethod = false, IncrementalFrameInspector? inspector = null)
    {
        inspector ??= new IncrementalFrameInspector(Unlimited, captureMethod);
        int start = 0;
        foreach (int cut in cuts.Where(c => c > 0 && c < frame.Length).Distinct().Order().Append(frame.Length))
        {
            inspector.Feed(frame.AsSpan(start, cut - start));
            start = cut;
        }

        return inspector.Complete();
    }

    /// <summary>Null when the incremental verdict matches the whole-frame one.</summary>
    internal static string? Disagreement(byte[] frame, IEnumerable<int> cuts, bool captureMethod)
    {
        FrameInspection whole = FrameInspector.Inspect(new ReadOnlySequence<byte>(frame), captureMethod);
        FrameInspection fed = Fed(frame, cuts, captureMethod);
        bool sameText = whole.Error == fed.Error || (whole.ErrorCode == JsonRpcErrorCode.ParseError && IsParseFault(whole.Error) && IsParseFault(fed.Error));
        return whole.IsValid == fed.IsValid && whole.ErrorCode == fed.ErrorCode && whole.Info == fed.Info && sameText
            ? null
            : $"whole: {whole}; fed in parts: {fed}";
    }

    private static bool IsParseFault(string? error) => error is not null && (error.StartsWith("invalid JSON", StringComparison.Ordinal) || error.StartsWith("unterminated JSON", StringComparison.Ordinal) || error.StartsWith("unreadable JSON", StringComparison.Ordinal));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void GeneratedAndMutatedFrames_FedWholeOrCut_AgreeWithFrameInspector()
    {
        var generator = new FrameGenerator(20261130);
        for (int i = 0; i < 30_000; i++)
        {
            byte[] frame = generator.Next();
            int[] cuts = frame.Length < 2 ? [] : [.. Enumerable.Range(0, generator.NextInt(6)).Select(_ => 1 + generator.NextInt(frame.Length - 1))];
            bool capture = i % 2 == 0;
            string? problem = Disagreement(frame, [], capture) ?? Disagreement(frame, cuts, capture);
            Assert.True(problem is null, $"case {i}, cuts {string.Join(',', cuts)}: {problem}\ninput: {FrameGenerator.Describe(frame)}");
        }
    }

    [Fact]
    public void GeneratedFrames_FedOneBytePerPart_AgreeWithFrameInspector()
    {
        var generator = new FrameGenerator(7);
        for (int i = 0; i < 2_000; i++)
        {
            byte[] frame = generator.Next();
            string? problem = Disagreement(frame, Enumerable.Range(1, Math.Max(0, frame.Length - 1)), captureMethod: true);
            Assert.True(problem is null, $"case {i}: {problem}\ninput: {FrameGenerator.Describe(frame)}");
        }
    }

    [Fact]
    public void LongFrames_WithLongStringsNamesAndWhitespace_AgreeWithFrameInspector_InRandomParts()
    {
        var random = new Random(16);
        var generator = new FrameGenerator(16);
        for (int i = 0; i < 400; i++)
        {
            byte[] frame = LongFrame(random, generator);
            if (i % 3 == 1)
            {
                frame = generator.Mutate(frame);
            }

            int[] cuts = [.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(1, Math.Max(2, frame.Length)))];
            string? problem = Disagreement(frame, [], i % 2 == 0) ?? Disagreement(frame, cuts, i % 2 == 0);
            Assert.True(problem is null, $"case {i}, cuts {string.Join(',', cuts)}: {problem}\ninput: {FrameGenerator.Describe(frame)}");
        }
    }

    /// <summary>A generated message with long members added: a text blob, a long member name, long whitespace.</summary>
    private static byte[] LongFrame(Random random, FrameGenerator generator)
    {
        byte[] message = generator.Message();
        if (message.Length < 2 || message[0] != (byte)'{')
        {
            return message;
        }

        string blob = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(5) switch
        {
            0 => new string('a', random.Next(3000, 12000)),
            1 => string.Concat(Enumerable.Repeat("é€😀\\uD83D\\uDE00\\n\\\"", random.Next(100, 800))),
            2 => Convert.ToBase64String(RandomBytes(random, random.Next(4000, 20000))),
            3 => "\\u00e9" + new string('b', random.Next(4000, 5000)) + "\\t",
            _ => "x",
        }));
        string member = random.Next(4) switch
        {
            0 => $"\"{new string('k', random.Next(4090, 9000))}\":\"{blob}\"",
            1 => $"\"blob\"{new string(' ', random.Next(0, 9000))}:{new string(' ', random.Next(0, 9000))}\"{blob}\"",
            2 => $"\"result\":{{\"content\":[{{\"type\":\"text\",\"text\":\"{blob}\"}}]}}",
            _ => $"\"pad\":[\"{blob}\",{new string(' ', random.Next(4000, 9000))}\"{blob}\"]",
        };
        byte[] added = Utf8(member + ",");
        return random.Next(2) == 0
            ? [(byte)'{', .. added, .. message.AsSpan(1)]
            : [.. message.AsSpan(0, message.Length - 1), .. Utf8("," + member.TrimEnd(',')), (byte)'}'];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    public static TheoryData<string> MultiByteFrames => new()
    {
        // Short: the characters sit in tokens the reader is handed whole (carried across the cut).
        "{\"jsonrpc\":\"2.0\",\"id\":\"é€😀\",\"result\":{\"text\":\"é€😀\\uD83D\\uDE00\\u00e9\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":\"\\uD83D\\uDE00\",\"method\":\"tools/call\",\"params\":{\"a\":\"😀\"}}",
        // Long: the characters sit in a string longer than the carry, checked by the string scanner.
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"text\":\"" + new string('a', 5000) + "é€😀\\uD83D\\uDE00\\u00e9\\\\\\\"" + new string('z', 100) + "\"}}",
        "{\"result\":{\"text\":\"" + new string('a', 5000) + "😀€é\\uD83D\\uDE00" + new string('z', 100) + "\"},\"jsonrpc\":\"2.0\",\"id\":\"last😀\"}",
        // Invalid: a lone surrogate escape in the id, or a raw byte that is not UTF-8, near the cut.
        "{\"jsonrpc\":\"2.0\",\"id\":\"\\uD83D\",\"result\":{\"text\":\"" + new string('a', 5000) + "😀\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"text\":\"" + new string('a', 5000) + "😀\\uD83D\\uDE0\"}}",
    };

    [Theory]
    [MemberData(nameof(MultiByteFrames))]
    public void MultiByteCharactersAndEscapes_SplitAtEveryByteBoundary_AgreeWithWholeFrame(string json)
    {
        byte[] frame = Utf8(json);
        for (int cut = 1; cut < frame.Length; cut++)
        {
            string? problem = Disagreement(frame, [cut], captureMethod: true);
            Assert.True(problem is null, $"cut at byte {cut}: {problem}");
        }

        // And every boundary at once, with a second cut walking through the multi-byte region.
        Assert.Null(Disagreement(frame, Enumerable.Range(1, frame.Length - 1), captureMethod: true));
        int region = json.IndexOf('é', StringComparison.Ordinal) is >= 0 and var at ? Encoding.UTF8.GetByteCount(json[..at]) : 0;
        for (int a = region; a < Math.Min(frame.Length, region + 40); a++)
        {
            for (int b = a + 1; b < Math.Min(frame.Length, a + 12); b++)
            {
                Assert.Null(Disagreement(frame, [a, b], captureMethod: false));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0xA9 })] // é
    [InlineData(new byte[] { 0xE2, 0x82, 0xAC })] // €
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 })] // 😀
    public void InvalidUtf8AfterASplitCharacter_IsFound_AtEveryBoundary(byte[] character)
    {
        byte[] head = Utf8("{\"id\":5,\"result\":\"" + new string('a', 4500));
        byte[] valid = [.. head, .. character, .. Utf8("\"}")];
        byte[] truncated = [.. head, .. character.AsSpan(0, character.Length - 1), .. Utf8("\"}")];
        for (int cut = head.Length - 1; cut <= head.Length + character.Length; cut++)
        {
            Assert.Equal(FrameInspection.Valid(new FrameInfo(FrameKind.Response, "5", null, null)), Fed(valid, [cut]));
            FrameInspection bad = Fed(truncated, [cut]);
            Assert.Equal((false, JsonRpcErrorCode.ParseError, "invalid UTF-8", "5"), (bad.IsValid, bad.ErrorCode, bad.Error, bad.Info.Id));
        }
    }

    [Fact]
    public void MalformedMidWay_IsDoomedThere_AndTheIdThatComesLastIsStillFound()
    {
        // The TypeScript SDK writes the id last: a bad byte in the result dooms the frame before the id is seen.
        byte[] frame = Utf8("{\"result\":{\"text\":\"" + new string('a', 20000) + "\u0001" + new string('b', 20000) + "\"},\"jsonrpc\":\"2.0\",\"id\":42}");
        var inspector = new IncrementalFrameInspector(Unlimited);
        Assert.True(inspector.Feed(frame.AsSpan(0, 20000)));
        Assert.False(inspector.Feed(frame.AsSpan(20000, 100)));
        Assert.True(inspector.IsDoomed);
        inspector.Feed(frame.AsSpan(20100));
        FrameInspection verdict = inspector.Complete();
        FrameInspection whole = FrameInspector.Inspect(new ReadOnlySequence<byte>(frame));
        Assert.Equal((whole.IsValid, whole.ErrorCode, whole.Info), (verdict.IsValid, verdict.ErrorCode, verdict.Info));
        Assert.False(verdict.IsValid);
        // A syntax error ends reading: like TryRecoverId, the id after the damage is not known.
        Assert.Null(verdict.Info.Id);
    }

    [Fact]
    public void InvalidUtf8MidWay_IsDoomedThere_AndTheIdThatComesLastIsStillFound()
    {
        byte[] frame = [.. Utf8("{\"result\":{\"text\":\"" + new string('a', 20000)), 0xFF, .. Utf8(new string('b', 20000) + "\"},\"jsonrpc\":\"2.0\",\"id\":42}")];
        var inspector = new IncrementalFrameInspector(Unlimited);
        Assert.True(inspector.Feed(frame.AsSpan(0, 20000)));
        Assert.False(inspector.Feed(frame.AsSpan(20000, 100)));
        inspector.Feed(frame.AsSpan(20100));
        FrameInspection verdict = inspector.Complete();
        Assert.Equal(FrameInspector.Inspect(new ReadOnlySequence<byte>(frame)), verdict);
        Assert.Equal("42", verdict.Info.Id);
    }

    [Fact]
    public void OverTheLimitMidWay_IsDoomedThere_AndTheIdIsRecoveredFromTheWholeLine()
    {
        byte[] frame = Utf8("{\"result\":{\"text\":\"" + new string('a', 50000) + "\"},\"jsonrpc\":\"2.0\",\"id\":\"late\"}");
        var inspector = new IncrementalFrameInspector(maxFrameBytes: 30000);
        Assert.True(inspector.Feed(frame.AsSpan(0, 29000)));
        Assert.Null(inspector.RecoveredId);
        Assert.False(inspector.Feed(frame.AsSpan(29000, 2000)));
        Assert.True(inspector.IsOversized);
        inspector.Feed(frame.AsSpan(31000));
        Assert.True(inspector.Complete().IsValid); // the JSON itself is fine: only the size dooms it
        Assert.Equal("\"late\"", inspector.RecoveredId);
    }

    [Fact]
    public void ValidLongFrame_InSmallParts_IsValidWithItsInfo_AndNeverDoomed()
    {
        string text = string.Concat(Enumerable.Repeat("line é€😀 \\\"quoted\\\" \\u00e9\\n", 40000));
        byte[] frame = Utf8("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"big\":\"" + text + "\",\"requestId\":\"r1\"}}");
        var inspector = new IncrementalFrameInspector(Unlimited, captureMethod: true);
        for (int at = 0; at < frame.Length; at += 1000)
        {
            Assert.True(inspector.Feed(frame.AsSpan(at, Math.Min(1000, frame.Length - at))));
        }

        Assert.Equal(FrameInspection.Valid(new FrameInfo(FrameKind.Notification, null, "notifications/cancelled", "\"r1\"")), inspector.Complete());
    }

    [Theory]
    [InlineData("{\"id\":1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":17")]
    [InlineData("{\"id\":17 ")]
    [InlineData("{\"id\":\"s\"")]
    [InlineData("{\"id\":1,\"id\":2")]
    [InlineData("{\"id\":1}x")]
    [InlineData("{\"a\":1,\"\\ud800\\ud800\\ud800\":1,\"id\":5}")]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    public void EdgeCases_AgreeWithFrameInspector_AtEveryCut(string json)
    {
        byte[] frame = Utf8(json);
        for (int cut = 0; cut <= frame.Length; cut++)
        {
            Assert.Null(Disagreement(frame, [cut], captureMethod: true));
        }
    }

    [Fact]
    public void Reset_StartsAFreshFrame()
    {
        var inspector = new IncrementalFrameInspector(Unlimited);
        Assert.False(Fed(Utf8("{\"id\":1,"), [3], inspector: inspector).IsValid);
        inspector.Reset();
        Assert.Equal(FrameInspection.Valid(new FrameInfo(FrameKind.Response, "2", null, null)), Fed(Utf8("{\"id\":2,\"result\":{}}"), [5], inspector: inspector));
    }

    [Fact]
    public void AnIdLongerThanTheCarry_IsRejected_NotMisread()
    {
        // Longer than the carry and the part that follows it: the reader can never be handed it whole.
        byte[] frame = Utf8("{\"id\":\"" + new string('i', 5 * IncrementalFrameInspector.CarryLimit) + "\",\"result\":{}}");
        FrameInspection verdict = Fed(frame, Enumerable.Range(1, 100).Select(i => i * 1000));
        Assert.False(verdict.IsValid);
        Assert.Equal(JsonRpcErrorCode.InvalidRequest, verdict.ErrorCode);
        Assert.Null(verdict.Info.Id);
    }
}
