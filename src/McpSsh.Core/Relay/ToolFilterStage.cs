using System.Buffers;
using McpSsh.Filtering;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>
/// The client's --allow-tools / --deny-tools in the relay. Host to remote: a <c>tools/call</c> of a filtered tool
/// is answered here with an error naming the filter and never sent; a <c>tools/list</c> request's id is noted.
/// Remote to host: only the answer to a noted <c>tools/list</c> is parsed, and rewritten only if it lists a
/// filtered tool (<see cref="ToolListRewriter"/>). Every other frame passes untouched, as bytes.
/// </summary>
public sealed class ToolFilterStage(ToolFilter filter)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _listIds = new(StringComparer.Ordinal);

    /// <summary>A stage for the filter, or null when it lets everything through (the relay then skips the hook).</summary>
    public static ToolFilterStage? For(ToolFilter? filter) => filter is { IsActive: true } ? new ToolFilterStage(filter) : null;

    /// <summary>Tools removed from lists so far (for tests and logs).</summary>
    public int Removed { get; private set; }

    /// <summary>Host to remote: the error to answer instead of sending, or null to send the frame.</summary>
    public byte[]? Refuse(in FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (info.Kind == FrameKind.Notification && info.CancelledRequestId is { } cancelled)
        {
            Forget(cancelled);
            return null;
        }

        if (info.Kind != FrameKind.Request)
        {
            return null;
        }

        if (info.Method == McpMethods.ToolsList)
        {
            lock (_lock)
            {
                _listIds.Add(info.Id!);
            }

            return null;
        }

        if (info.Method != McpMethods.ToolsCall)
        {
            return null;
        }

        foreach (string name in ToolCallName.Read(frame))
        {
            ToolVerdict verdict = filter.Check(name);
            if (!verdict.Allowed)
            {
                return JsonRpcErrorWriter.Write(info.Id, JsonRpcErrorCode.InvalidParams, filter.Refusal(name, verdict.Reason!));
            }
        }

        return null;
    }

    /// <summary>Remote to host: the frame to write (the same sequence unless it is a tools/list answer that lists a filtered tool).</summary>
    public ReadOnlySequence<byte> Rewrite(in FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (info.Kind != FrameKind.Response || !Forget(info.Id!))
        {
            return frame;
        }

        if (ToolListRewriter.Rewrite(frame, filter, out int removed) is not { } rewritten)
        {
            return frame;
        }

        lock (_lock)
        {
            Removed += removed;
        }

        return new ReadOnlySequence<byte>(rewritten);
    }

    private bool Forget(string id)
    {
        lock (_lock)
        {
            return _listIds.Remove(id);
        }
    }
}
