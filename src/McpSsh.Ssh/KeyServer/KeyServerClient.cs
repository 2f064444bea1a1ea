using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.KeyServer;

/// <summary>
/// The client half of the key-server flow, as the Python client does it: every request goes first to
/// <c>https://HOST/PATH</c> (port 443, 5 s), then to <c>http://HOST:PORT/PATH</c> (10 s). Answers are JSON with
/// the Python server's field names, at most <see cref="MaxResponseBytes"/>.
/// </summary>
/// <remarks>
/// Plain HTTP is tried only when nothing answers over TLS (connection refused or timed out), with a warning; a TLS
/// failure (an untrusted certificate, a failed handshake) is an error, never a reason to downgrade. The bearer
/// token goes only with POST /register, and never over plain HTTP unless <see cref="KeyServerClientOptions.AllowHttpToken"/>.
/// </remarks>
public sealed class KeyServerClient(string host, int port, string? token, ILogger logger, KeyServerClientOptions? options = null) : IDisposable
{
    /// <summary>Largest answer read (a host key line is ~100 bytes to ~1.5 KiB for RSA 8192); more is an error.</summary>
    public const int MaxResponseBytes = 16 * 1024;

    private static readonly TimeSpan s_httpsTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_httpTimeout = TimeSpan.FromSeconds(10);

    private readonly KeyServerClientOptions _options = options ?? new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxResponseHeadersLength = 16 }) { Timeout = Timeout.InfiniteTimeSpan };

    private string HostPart => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    /// <summary>GET /server_pub_key: the server's SSH host key line, and the URL that answered.</summary>
    public async Task<(string Key, string Url)> FetchHostKeyAsync(CancellationToken cancellation)
    {
        (string body, string url) = await SendAsync("/server_pub_key", () => new HttpRequestMessage(HttpMethod.Get, (Uri?)null), withToken: false, cancellation);
        string? key = Read(body, KeyServerJsonContext.Default.ServerPubKeyReply)?.ServerPubKey;
        return key is null
            ? throw new SshConnectException(ConnectFailure.KeyServer, $"the key server at {url} answered without a \"server_pub_key\" string; is it an mcp-ssh or m2m-mcp-server-ssh-server key server?")
            : (key, url);
    }

    /// <summary>POST /register with the client's public key line (and the token, the only request that carries it).</summary>
    public async Task<string> RegisterAsync(string publicKeyLine, CancellationToken cancellation)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new RegisterRequest(publicKeyLine), KeyServerJsonContext.Default.RegisterRequest);
        (_, string url) = await SendAsync("/register", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return request;
        }, withToken: true, cancellation);
        return url;
    }

    public void Dispose() => _http.Dispose();

    private async Task<(string Body, string Url)> SendAsync(string path, Func<HttpRequestMessage> make, bool withToken, CancellationToken cancellation)
    {
        string https = _options.HttpsPort == 443 ? $"https://{HostPart}{path}" : $"https://{HostPart}:{_options.HttpsPort}{path}";
        string http = $"http://{HostPart}:{port}{path}";
        try
        {
            return await SendOnceAsync(https, make, withToken, s_httpsTimeout, cancellation);
        }
        catch (Exception ex) when (KeyServerFailures.NothingListens(ex, cancellation))
        {
            logger.LogWarning("Key server not reachable over TLS at {Url} ({Reason}); falling back to plain HTTP at {Fallback}, which anyone on the network path can read or alter",
                https, KeyServerFailures.Reason(ex), http);
        }
        catch (HttpRequestException ex) when (!cancellation.IsCancellationRequested)
        {
            throw KeyServerFailures.OverTls(https, host, ex);
        }

        if (withToken && token is not null && !_options.AllowHttpToken)
        {
            throw new SshConnectException(ConnectFailure.KeyServer,
                $"refusing to send the key-server token to {http} over plain HTTP, where anyone on the network path can read it (nothing answered over TLS at {https}). "
                + "Serve the key server with TLS on port 443 (mcp-ssh serve --key-server-cert FILE --key-server-cert-key FILE --key-server-port 443), or pass --key-server-allow-http-token to accept the risk");
        }

        try
        {
            return await SendOnceAsync(http, make, withToken, s_httpTimeout, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new SshConnectException(ConnectFailure.KeyServer,
                $"the key server is not reachable at {https} or {http} ({KeyServerFailures.Reason(ex)}). "
                + "Check that the server runs `mcp-ssh serve --run-key-server` and --key-server-port", ex);
        }
    }

    private async Task<(string Body, string Url)> SendOnceAsync(string url, Func<HttpRequestMessage> make, bool withToken, TimeSpan timeout, CancellationToken cancellation)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timer.CancelAfter(timeout);
        using HttpRequestMessage request = make();
        request.RequestUri = new Uri(url);
        if (withToken && token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // Headers only: the body is read below with a cap, never buffered whole (a 300 MB answer cost 1.9 GB).
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        string body = await ReadCappedAsync(response, url, timer.Token);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            logger.LogDebug("Key server {Url}: 200", url);
            return (body, url);
        }

        string reason = Read(body, KeyServerJsonContext.Default.ErrorReply)?.Error ?? response.ReasonPhrase ?? "";
        string fix = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => " Give the server's token with --key-server-token or MCP_SSH_KEY_SERVER_TOKEN",
            HttpStatusCode.TooManyRequests => " Wait a minute and try again",
            _ => "",
        };
        throw new SshConnectException(ConnectFailure.KeyServer, $"the key server at {url} answered {(int)response.StatusCode}: {reason}.{fix}");
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, string url, CancellationToken cancellation)
    {
        if (response.Content.Headers.ContentLength is long announced && announced > MaxResponseBytes)
        {
            throw KeyServerFailures.TooLarge(url, announced);
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellation);
        byte[] buffer = new byte[MaxResponseBytes + 1];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellation);
            if (read == 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }

            length += read;
        }

        throw KeyServerFailures.TooLarge(url, null);
    }

    /// <summary>The answer as its contract, or null when it is not JSON of that shape (the caller names what was missing).</summary>
    private static T? Read<T>(string json, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
