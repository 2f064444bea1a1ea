using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using McpSsh.Framing;
using McpSsh.Gateway;
using McpSsh.JsonRpc;
using McpSsh.Tests.Framing;

namespace McpSsh.Tests.Fuzz;

/// <summary>
/// Runs one frame through every inspector and rewriter the relay and the gateway use, and checks what comes
/// out: no exception escapes, and every line written (error answers, rewritten frames, merged items) is
/// exactly one valid JSON object on one line of valid UTF-8.
/// </summary>
internal static class FuzzTargets
{
    private static readonly Backend s_backend = new(new ServerConfig("fuzz", "/bin/true", [], new Dictionary<string, string>(), null));

    /// <summary>Null when the frame passed every target; else what went wrong.</summary>
    public static string? Run(byte[] frame, int variant)
    {
        string target = "start";
        try
        {
            ReadOnlySequence<byte> sequence = variant % 3 == 0 ? new ReadOnlySequence<byte>(frame) : Segmented(frame, variant);

            target = "FrameInspector.Inspect";
            FrameInspection inspection = FrameInspector.Inspect(sequence, captureMethod: variant % 2 == 0);

            target = "FrameInspector.TryRecoverId";
            string? recovered = FrameInspector.TryRecoverId(sequence.Slice(0, Math.Min(sequence.Length, variant % 5 == 0 ? sequence.Length : 1 + (variant % Math.Max(1, (int)sequence.Length)))));
            foreach (string? id in new[] { inspection.Info.Id, inspection.Info.CancelledRequestId, recovered })
            {
                if (id is not null && RequestId.Canonicalize(id) != id)
                {
                    return $"{target}: id {id} is not canonical (re-spelled {RequestId.Canonicalize(id) ?? "null"})";
                }
            }

            target = "JsonRpcErrorWriter.Write";
            string? bad = CheckLine(JsonRpcErrorWriter.Write(inspection.Info.Id, inspection.ErrorCode == 0 ? JsonRpcErrorCode.InternalError : inspection.ErrorCode, inspection.Error ?? "ok"), strictKeys: true)
                ?? CheckLine(JsonRpcErrorWriter.Write(recovered, JsonRpcErrorCode.InvalidRequest, Encoding.UTF8.GetString(frame)), strictKeys: true);
            if (bad is not null)
            {
                return $"{target}: {bad}";
            }

            if (inspection.IsValid)
            {
                target = "FrameRewriter.ReplaceId";
                if (inspection.Info.Id is { } id)
                {
                    foreach (string replacement in (variant % 2 == 0 ? new[] { "12345", id } : ["\"mcp-ssh.internal:replay:1\"", "\"\\ud800\""]))
                    {
                        if (FrameRewriter.ReplaceId(sequence, replacement) is not { } rewritten)
                        {
                            return $"{target}: a valid frame with id {id} was not rewritten";
                        }

                        // The peer's own whitespace (a CR between tokens) passes through; an LF cannot be in a frame.
                        if (CheckLine(rewritten.ToArray(), strictKeys: false, allowCarriageReturn: true, inputHadLineFeed: frame.Contains((byte)'\n')) is { } why)
                        {
                            return $"{target} ({replacement}): {why}";
                        }

                        if (FrameInspector.Inspect(rewritten).Info.Id != RequestId.Canonicalize(replacement) && !replacement.Contains("ud800", StringComparison.Ordinal))
                        {
                            return $"{target}: the rewritten frame does not carry id {replacement}";
                        }
                    }
                }

                target = "RequestTable";
                if (CheckRequestTable(inspection.Info) is { } tableProblem)
                {
                    return $"{target}: {tableProblem}";
                }

                target = "gateway merge (ListItemWriter, InitializeMerger, CompositeCursor)";
                if (CheckGatewayMerge(frame, variant) is { } mergeProblem)
                {
                    return $"{target}: {mergeProblem}";
                }
            }
            else
            {
                // Rejected frames: the rewriter must not throw on them either.
                target = "FrameRewriter.ReplaceId (rejected frame)";
                if (FrameRewriter.ReplaceId(sequence, "1") is { } rewritten && variant % 7 == 0)
                {
                    _ = rewritten.Length;
                }
            }

            target = "CompositeCursor.TryDecode";
            _ = CompositeCursor.TryDecode(variant % 2 == 0 ? Encoding.UTF8.GetString(frame) : Convert.ToBase64String(frame).TrimEnd('=').Replace('+', '-').Replace('/', '_'), out _);
            return null;
        }
        catch (Exception ex)
        {
            return $"{target} threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }
    }

    /// <summary>Feeds a stream of frames to LineFrameReader in random segments: only whole lines, none over the limit, none with LF.</summary>
    public static string? RunFramer(byte[] stream, int[] cuts, long maxFrameBytes)
    {
        try
        {
            var framer = new LineFrameReader(maxFrameBytes);
            ReadOnlySequence<byte> buffer = cuts.Length == 0 ? new ReadOnlySequence<byte>(stream) : TestSegment.Split(stream, cuts);
            var lines = new List<byte[]>();
            FrameReadStatus status;
            while ((status = framer.TryRead(ref buffer, out ReadOnlySequence<byte> frame)) != FrameReadStatus.NeedMoreData)
            {
                if (status == FrameReadStatus.Frame && (frame.Length > maxFrameBytes || frame.PositionOf((byte)'\n') is not null))
                {
                    return $"LineFrameReader returned a frame of {frame.Length} bytes holding LF or over {maxFrameBytes}";
                }

                if (status == FrameReadStatus.Oversized && frame.Length > LineFrameReader.OversizedPeekBytes)
                {
                    return "LineFrameReader returned an oversized head larger than its peek";
                }

                if (Run(frame.ToArray(), lines.Count) is { } problem)
                {
                    return problem;
                }

                lines.Add(frame.ToArray());
            }

            _ = framer.TryReadFinal(ref buffer, out _);
            return null;
        }
        catch (Exception ex)
        {
            return $"LineFrameReader threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }
    }

    /// <summary>One line, valid UTF-8, exactly one JSON object (parsed back with the strict defaults).</summary>
    public static string? CheckLine(byte[] line, bool strictKeys, bool allowCarriageReturn = false, bool inputHadLineFeed = false)
    {
        if ((!inputHadLineFeed && line.Contains((byte)'\n')) || (!allowCarriageReturn && line.Contains((byte)'\r')))
        {
            return "output holds a line break";
        }

        if (!Utf8.IsValid(line))
        {
            return "output is not valid UTF-8";
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 1024, AllowDuplicateProperties = !strictKeys });
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : $"output is a JSON {document.RootElement.ValueKind}, not an object";
        }
        catch (JsonException ex)
        {
            return $"output is not valid JSON ({ex.Message}): {Encoding.UTF8.GetString(line)}";
        }
    }

    private static string? CheckRequestTable(FrameInfo info)
    {
        var table = new RequestTable();
        if (info.Id is { } id)
        {
            long gatewayId = table.AddForwarded(s_backend, id);
            if (!table.TryCancel(id, out long cancelled, out _) || cancelled != gatewayId)
            {
                return $"cancelling {id} did not find the request forwarded under it";
            }

            long asked = table.AddServerRequest(s_backend, id);
            if (!table.TryWithdrawServerRequest(s_backend, id, out long withdrawn) || withdrawn != asked)
            {
                return $"withdrawing {id} did not find the backend's request";
            }
        }

        if (info.CancelledRequestId is { } cancelledId)
        {
            _ = table.TryCancel(cancelledId, out _, out _);
        }

        return null;
    }

    /// <summary>Every object in a valid frame as a merged-list item (renamed and not) and as an initialize result.</summary>
    private static string? CheckGatewayMerge(byte[] frame, int variant)
    {
        using JsonDocument document = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 512 });
        foreach (JsonProperty member in document.RootElement.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // What the gateway looks up in a backend's list answer.
            foreach (string name in new[] { "result", "tools", "nextCursor", "name", "uri", "uriTemplate" })
            {
                if (JsonText.Property(member.Value, name) is { } found)
                {
                    _ = JsonText.String(found);
                }
            }

            // One naming per frame (kept, renamed, renamed to non-ASCII), rotating: the suite stays a few seconds.
            foreach (string? merged in new[] { new[] { null, "renamed_1", "fuzz__\u00e9" }[variant % 3] })
            {
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, JsonFrameWriter.Options))
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("item"u8);
                    ListItemWriter.Write(writer, member.Value, merged);
                    writer.WriteEndObject();
                }

                // Items pass through as the backend wrote them, whitespace included.
                if (CheckLine(buffer.WrittenSpan.ToArray(), strictKeys: false, allowCarriageReturn: true, inputHadLineFeed: frame.Contains((byte)'\n')) is { } why)
                {
                    return $"merged item ({merged ?? "name kept"}): {why}";
                }
            }

            JsonObject? result;
            try
            {
                result = JsonNode.Parse(JsonMarshalRaw(member.Value)) as JsonObject;
                _ = result?.Count;
            }
            catch (Exception ex) when (ParserFaults.IsParserFault(ex))
            {
                continue; // the gateway reads such an answer as an error (BackendAnswer.ToObject)
            }

            if (result is null || !JsonText.IsWritable(result))
            {
                continue; // the gateway leaves such a backend out
            }

            InitializeMerger.Outcome outcome = InitializeMerger.Merge([("a", result), ("b", (JsonObject)result.DeepClone())], "1.0.0");
            if (CheckLine(JsonFrameWriter.Write(outcome.Result).ToArray(), strictKeys: false) is { } mergedWhy)
            {
                return $"merged initialize: {mergedWhy}";
            }

            string cursor = CompositeCursor.Encode(new Dictionary<string, string> { ["a"] = JsonText.String(result["nextCursor"]) ?? "c" });
            if (!CompositeCursor.TryDecode(cursor, out _))
            {
                return "a cursor the gateway made does not decode";
            }
        }

        return null;
    }

    private static byte[] JsonMarshalRaw(JsonElement element) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray();

    private static ReadOnlySequence<byte> Segmented(byte[] frame, int variant)
    {
        if (frame.Length < 2)
        {
            return new ReadOnlySequence<byte>(frame);
        }

        var cuts = new SortedSet<int>();
        var random = new Random(variant);
        int count = 1 + random.Next(Math.Min(8, frame.Length - 1));
        while (cuts.Count < count)
        {
            cuts.Add(1 + random.Next(frame.Length - 1));
        }

        return TestSegment.Split(frame, [.. cuts]);
    }
}
