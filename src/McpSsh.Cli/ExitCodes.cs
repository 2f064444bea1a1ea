namespace McpSsh.Cli;

/// <summary>The documented exit codes (listed in --help and the README).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Internal = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int Timeout = 4;
    public const int HostKey = 5;
    public const int Authentication = 6;
    public const int KeyFile = 7;
    public const int RemoteClosed = 8;
    public const int Protocol = 9;
    public const int Config = 10;
    public const int Serve = 11;
    public const int KeyServer = 12;

    public const string Table =
        """
        Exit codes:
          0  the host closed the session (stdin EOF, SIGTERM or SIGINT)
          1  internal error
          2  usage: bad flags or flag combination
          3  connection refused, host unreachable or not resolvable
          4  timeout while connecting (--connect-timeout)
          5  host key unknown, changed or revoked (known_hosts)
          6  authentication refused (key not authorized for --username)
          7  private key missing, unreadable, or wrong/missing passphrase
          8  --no-reconnect: the remote side closed the session (server exited, connection lost)
          9  SSH protocol failure
          10 gateway, serve: the servers config is missing, invalid, or names a command that cannot be found
          11 serve: sshd missing, failed to start or died; key server could not start; host key unusable
          12 --use-key-server: the key server was unreachable or refused (token, rate limit, bad key)
        """;

    public static int For(Ssh.ConnectFailure failure) => failure switch
    {
        Ssh.ConnectFailure.Unreachable => Unreachable,
        Ssh.ConnectFailure.Timeout => Timeout,
        Ssh.ConnectFailure.HostKey => HostKey,
        Ssh.ConnectFailure.Authentication => Authentication,
        Ssh.ConnectFailure.KeyFile => KeyFile,
        Ssh.ConnectFailure.KeyServer => KeyServer,
        _ => Protocol,
    };
}
