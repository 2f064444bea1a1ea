using System.CommandLine;
using System.Globalization;
using McpSsh.Diagnostics;
using Microsoft.Extensions.Logging;
using S = McpSsh.Cli.Commands.ServeCommand;

namespace McpSsh.Cli.Commands;

/// <summary>serve's flags after validation: paths expanded and absolute, secrets resolved (never logged).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed record ServeSettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string AuthorizedClients { get; init; }
    public required bool AuthorizedClientsGiven { get; init; }
    public required string ServerKey { get; init; }
    public string? Passphrase { get; init; }
    public required string ServersConfig { get; init; }
    public required LogLevel LogLevel { get; init; }
    public string? LogFile { get; init; }
    public required bool RunKeyServer { get; init; }
    public required string KeyServerHost { get; init; }
    public required int KeyServerPort { get; init; }
    public required int KeyServerRate { get; init; }
    public string? KeyServerToken { get; init; }
    public string? KeyServerCert { get; init; }
    public string? KeyServerCertKey { get; init; }
    public required string StateDir { get; init; }
    public required string AllowUser { get; init; }
    public string? Sshd { get; init; }
    public required IReadOnlyList<(string Key, string Value)> SshdOptions { get; init; }
    public required int MaxStartups { get; init; }
    public required bool PrefixNames { get; init; }
    public required double InitTimeout { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    public static ServeSettings From(ParseResult parse, Func<string, string?> environment)
    {
        var warnings = new List<string>();
        LogLevel level = ClientOptions.ParseLogLevel(parse);

        foreach (Option<int> port in new[] { S.Port, S.KeyServerPort })
        {
            if (parse.GetValue(port) is < 1 or > 65535)
            {
                throw new UsageException($"{port.Name} {parse.GetValue(port)} is not a TCP port (1-65535)");
            }
        }

        if (parse.GetValue(S.KeyServerRate) < 1)
        {
            throw new UsageException("--key-server-rate must be at least 1 request per minute");
        }

        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        bool runKeyServer = parse.GetValue(S.RunKeyServer);
        foreach (Option keyServerOnly in new Option[] { S.KeyServerPort, S.KeyServerHost, S.KeyServerRate, S.KeyServerToken, S.KeyServerCert, S.KeyServerCertKey })
        {
            if (Given(keyServerOnly) && !runKeyServer)
            {
                warnings.Add($"{keyServerOnly.Name} has no effect without --run-key-server");
            }
        }

        string? token = parse.GetValue(S.KeyServerToken) ?? environment(S.TokenVariable);
        if (parse.GetValue(S.KeyServerToken) is not null)
        {
            warnings.Add($"--key-server-token is visible to other users in process lists; prefer the {S.TokenVariable} environment variable");
        }

        if (parse.GetValue(S.MaxStartups) < 1)
        {
            throw new UsageException("--max-startups must be at least 1 (handshakes sshd takes at once)");
        }

        var sshdOptions = new List<(string, string)>();
        foreach (string option in parse.GetValue(S.SshdOption) ?? [])
        {
            sshdOptions.Add(SshdOptionPolicy.Parse(option));
        }

        string Path(Option<string> option) => System.IO.Path.GetFullPath(PathExpansion.Expand(parse.GetValue(option)!));
        string? OptionalPath(Option<string?> option) => parse.GetValue(option) is { } value ? System.IO.Path.GetFullPath(PathExpansion.Expand(value)) : null;
        return new ServeSettings
        {
            Host = parse.GetValue(S.Host)!,
            Port = parse.GetValue(S.Port),
            AuthorizedClients = Path(S.AuthorizedClients),
            AuthorizedClientsGiven = Given(S.AuthorizedClients),
            ServerKey = Path(S.ServerKey),
            Passphrase = ClientSettings.ResolvePassphrase(parse, environment, warnings),
            ServersConfig = Path(S.ServersConfig),
            LogLevel = level,
            LogFile = OptionalPath(ClientOptions.LogFile),
            RunKeyServer = runKeyServer,
            KeyServerHost = parse.GetValue(S.KeyServerHost)!,
            KeyServerPort = parse.GetValue(S.KeyServerPort),
            KeyServerRate = parse.GetValue(S.KeyServerRate),
            KeyServerToken = string.IsNullOrEmpty(token) ? null : token,
            KeyServerCert = OptionalPath(S.KeyServerCert),
            KeyServerCertKey = OptionalPath(S.KeyServerCertKey),
            StateDir = Path(S.StateDir),
            AllowUser = parse.GetValue(S.AllowUser) ?? Environment.UserName,
            Sshd = OptionalPath(S.Sshd),
            SshdOptions = sshdOptions,
            MaxStartups = parse.GetValue(S.MaxStartups),
            PrefixNames = parse.GetValue(GatewayCommand.PrefixNames),
            InitTimeout = parse.GetValue(GatewayCommand.InitTimeout),
            Warnings = warnings,
        };
    }

    /// <summary>The command sshd forces for every session: this very binary's gateway, with absolute paths.</summary>
    /// <param name="sessionLog">serve's session log socket: the gateway's log goes there, not to the SSH client.</param>
    public string GatewayCommandLine(string self, string? sessionLog = null)
    {
        var words = new List<string> { self, "gateway", "--servers-config", ServersConfig, "--log-level", LogLevelNames.ShortName(LogLevel) };
        if (sessionLog is not null)
        {
            words.AddRange(["--session-log", sessionLog]);
        }

        if (PrefixNames)
        {
            words.Add("--prefix-names");
        }

        words.AddRange(["--init-timeout", InitTimeout.ToString(CultureInfo.InvariantCulture)]);
        return string.Join(' ', words.Select(McpSsh.Server.Sshd.SshdConfig.ShellQuote));
    }
}
