using System.IO.Pipelines;
using McpSsh.Diagnostics;
using McpSsh.Relay;
using McpSsh.Ssh;
using McpSsh.Ssh.Keys;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Commands;

/// <summary>Runs the client: prepare the key, connect, relay until one side ends, map the end to an exit code.</summary>
internal sealed class ClientRunner(ClientSettings settings, ILoggerFactory loggers, TextWriter stderr)
{
    private readonly ILogger _logger = loggers.CreateLogger("mcp-ssh");

    public async Task<int> RunAsync(Stream stdin, Stream stdout, CancellationToken stop)
    {
        foreach (string warning in settings.Warnings)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        SshConnectOptions ssh = settings.Ssh;
        PrepareKey(ssh.PrivateKeyPath);

        IRemoteChannel channel;
        try
        {
            channel = await SshConnector.ConnectAsync(ssh, loggers.CreateLogger("ssh"), stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        await using (channel)
        {
            var relay = new RelaySession(
                PipeReader.Create(stdin, new StreamPipeReaderOptions(bufferSize: 64 * 1024)),
                new StreamFrameSink(stdout),
                channel,
                new RelayOptions { MaxFrameBytes = settings.MaxFrameBytes, Endpoint = ssh.Endpoint },
                loggers.CreateLogger("relay"));

            RelayResult result = await relay.RunAsync(stop);
            return result.Outcome switch
            {
                RelayOutcome.HostClosed => ExitCodes.Ok,
                // stdout broke: the host that would read an error or an exit code is gone already.
                RelayOutcome.HostWriteFailed => ExitCodes.Ok,
                _ => Fail(ExitCodes.RemoteClosed,
                    $"connection to {ssh.Endpoint} closed: {result.Reason}"
                    + (result.FailedRequests > 0 ? $" ({result.FailedRequests} request(s) in flight were answered with an error)" : string.Empty)
                    + ". Check the server's logs; the MCP server behind SSH may have crashed or been stopped"),
            };
        }
    }

    private void PrepareKey(string path)
    {
        if (!File.Exists(path) && settings.GenerateMissingKey)
        {
            string publicLine = ClientKeyStore.Generate(path, $"mcp-ssh@{Environment.MachineName}");
            _logger.LogWarning("Generated a new Ed25519 client key at {Path} (public key in {Path}.pub). Install it on the server, e.g. append this line to ~USER/.ssh/authorized_keys there: {PublicKey}", path, path, publicLine);
        }
        else if (File.Exists(path) && ClientKeyStore.IsReadableByOthers(path))
        {
            _logger.LogWarning("Private key {Path} is accessible by group or others; fix with: chmod 600 {Path}", path, path);
        }
    }

    private int Fail(int code, string message)
    {
        stderr.WriteLine($"mcp-ssh: {message}");
        return code;
    }
}
