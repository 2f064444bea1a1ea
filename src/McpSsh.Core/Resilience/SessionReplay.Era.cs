using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

// Which era the host speaks, and what that changes for keepalive: its 2026-07-28 envelope, kept for the probes.
public sealed partial class SessionReplay
{
    /// <summary>
    /// Host requests larger than this are not read for their envelope. The envelope is the same on every request
    /// of a session, so it is read from the first request that has one, and again from each discover and listen
    /// (rare and small); ordinary requests are not parsed once it is known, nor in a legacy session.
    /// </summary>
    private const int EnvelopeScanLimit = 64 * 1024;

    private static readonly string[] s_envelopeKeys = [McpMetaKeys.ProtocolVersion, McpMetaKeys.ClientCapabilities, McpMetaKeys.ClientInfo];

    private JsonObject? _envelope;

    /// <summary>
    /// The era the host's traffic showed: legacy once it sent <c>initialize</c> (a host that probed with
    /// <c>server/discover</c> and fell back to initialize is legacy), modern once a request carried the
    /// 2026-07-28 envelope and no initialize came, unknown before either.
    /// </summary>
    public SessionEra Era
    {
        get
        {
            lock (_lock)
            {
                return _initialize is not null ? SessionEra.Legacy : _envelope is not null ? SessionEra.Modern : SessionEra.Unknown;
            }
        }
    }

    /// <summary>Keeps the host's envelope from a request that carries one (see <see cref="EnvelopeScanLimit"/> for which are read).</summary>
    private void NoteEnvelope(in FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (info.Kind == FrameKind.Request && info.Method != McpMethods.Initialize && frame.Length <= EnvelopeScanLimit
            && (info.Method is McpMethods.Discover or McpMethods.Listen || (Volatile.Read(ref _envelope) is null && Volatile.Read(ref _initialize) is null))
            && EnvelopeOf(frame) is { } envelope)
        {
            lock (_lock)
            {
                _envelope = envelope;
            }
        }
    }

    /// <summary>
    /// A keepalive probe under <paramref name="privateId"/>, chosen by the era the host showed. Any answer, even
    /// an error, proves the link alive. Legacy or unknown: <c>ping</c>, which every legacy server answers (a
    /// legacy-only server may exit on a method it does not know, so <c>server/discover</c> is never sent to
    /// one) and a modern one answers -32601, still an answer. Modern: <c>server/discover</c> with the host's
    /// last envelope, the one request every 2026-07-28 server must answer, on its normal path rather than its
    /// error path (<c>ping</c> no longer exists there).
    /// </summary>
    public byte[] KeepaliveProbe(string privateId) => KeepaliveProbe(privateId, out _);

    /// <param name="method">The method chosen, for the log.</param>
    public byte[] KeepaliveProbe(string privateId, out string method)
    {
        JsonObject? envelope;
        lock (_lock)
        {
            envelope = _initialize is null ? _envelope?.DeepClone().AsObject() : null;
        }

        method = envelope is null ? McpMethods.Ping : McpMethods.Discover;
        return RelayMessages.Request(privateId, method, envelope);
    }

    private void AddRequest(List<(string?, byte[], string)> frames, byte[] original, string what)
    {
        string id = JsonValue.Create($"{PrivateIdPrefix}replay:{++_nextPrivateId}").ToJsonString();
        ReadOnlySequence<byte> rewritten = FrameRewriter.ReplaceId(new ReadOnlySequence<byte>(original), id) ?? new ReadOnlySequence<byte>(original);
        frames.Add((id, rewritten.ToArray(), what));
    }

    /// <summary>The 2026-07-28 envelope keys of a request's <c>params._meta</c>, or null when it names no protocol version.</summary>
    private static JsonObject? EnvelopeOf(ReadOnlySequence<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (JsonNode.Parse(ref reader)?["params"]?[McpMetaKeys.Meta] is not JsonObject meta || meta[McpMetaKeys.ProtocolVersion] is not JsonValue)
            {
                return null;
            }

            var envelope = new JsonObject();
            foreach (string key in s_envelopeKeys)
            {
                if (meta[key] is { } value)
                {
                    envelope[key] = value.DeepClone();
                }
            }

            return envelope;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }
}
