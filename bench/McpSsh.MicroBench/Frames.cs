using System.Text;

namespace McpSsh.MicroBench;

/// <summary>The frames the benchmarks move: a small tools/call and a 4 MiB one, as scripts/bench sends.</summary>
internal static class Frames
{
    public const int BigPayload = 4 * 1024 * 1024;

    public static byte[] Small { get; } =
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hello"}}}"""u8.ToArray();

    public static byte[] Big { get; } = Encoding.UTF8.GetBytes(
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":""" + "\"" + new string('x', BigPayload) + "\"}}}");

    /// <summary>Notifications: the echo channel sends them back as they are, and no request stays in flight.</summary>
    public static byte[] SmallNotification { get; } =
        """{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hello"}}"""u8.ToArray();

    public static byte[] BigNotification { get; } = Encoding.UTF8.GetBytes(
        """{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":""" + "\"" + new string('x', BigPayload) + "\"}}");

    /// <summary>200 small frames, newline-terminated, as one read of the host's input would bring them.</summary>
    public static byte[] Burst { get; } = [.. Enumerable.Range(0, 200).SelectMany(_ => Small.Concat("\n"u8.ToArray()))];
}
