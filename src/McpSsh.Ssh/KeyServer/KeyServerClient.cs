using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.KeyServer;

/// <summary>
/// The client half of the key-server flow, as the Python client does it: every request goes first to
/// <c>https://HOST/PATH</c> (port 443, 5 s), then to <c>http://HOST:PORT/PATH</c> (10 s). Answers are JSON with
/// the Python server's field names. A bearer token is sent when given.
/// </summary>
public sealed class KeyServerClient(string host, int port, string? token, ILogger logger, KeyServerClientOptions? options = null) : IDisposable
{
    private static readonly TimeSpan s_httpsTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_httpTimeout = TimeSpan.FromSeconds(10);

    private readonly KeyServerClientOptions _options = options ?? new();
    private readonly HttpClient _http = new(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    private string HostPart => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    /// <summary>GET /server_pub_key: the server's SSH host key line, and the URL that answered.</summary>
    public async Task<(string Key, string Url)> FetchHostKeyAsync(CancellationToken cancellation)
    {
        (string body, string url) = await SendAsync("/server_pub_key", () => new HttpRequestMessage(HttpMethod.Get, (Uri?)null), cancellation);
        string? key = ReadString(body, "server_pub_key");
        return key is null
            ? throw new SshConnectException(ConnectFailure.KeyServer, $"the key server at {url} answered without a \"server_pub_key\" string; is it an mcp-ssh or m2m-mcp-server-ssh-server key server?")
            : (key, url);
    }

    /// <summary>POST /register with the client's public key line.</summary>
    public async Task<string> RegisterAsync(string publicKeyLine, CancellationToken cancellation)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("client_pub_key", publicKeyLine);
            writer.WriteEndObject();
        }

        byte[] json = buffer.WrittenSpan.ToArray();
        (_, string url) = await SendAsync("/register", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return request;
        }, cancellation);
        return url;
    }

    public void Dispose() => _http.Dispose();

    private async Task<(string Body, string Url)> SendAsync(string path, Func<HttpRequestMessage> make, CancellationToken cancellation)
    {
        string https = _options.HttpsPort == 443 ? $"https://{HostPart}{path}" : $"https://{HostPart}:{_options.HttpsPort}{path}";
        string http = $"http://{HostPart}:{port}{path}";
        try
        {
            return await SendOnceAsync(https, make, s_httpsTimeout, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            logger.LogDebug("Key server not reachable at {Url} ({Reason}); trying {Fallback}", https, ex.Message, http);
        }

        try
        {
            return await SendOnceAsync(http, make, s_httpTimeout, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new SshConnectException(ConnectFailure.KeyServer,
                $"the key server is not reachable at {https} or {http} ({(ex is TaskCanceledException ? "timed out" : ex.GetBaseException().Message)}). "
                + "Check that the server runs `mcp-ssh serve --run-key-server` and --key-server-port", ex);
        }
    }

    private async Task<(string Body, string Url)> SendOnceAsync(string url, Func<HttpRequestMessage> make, TimeSpan timeout, CancellationToken cancellation)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timer.CancelAfter(timeout);
        using HttpRequestMessage request = make();
        request.RequestUri = new Uri(url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, timer.Token);
        string body = await response.Content.ReadAsStringAsync(timer.Token);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            logger.LogDebug("Key server {Url}: 200", url);
            return (body, url);
        }

        string reason = ReadString(body, "error") ?? response.ReasonPhrase ?? "";
        string fix = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => " Give the server's token with --key-server-token or MCP_SSH_KEY_SERVER_TOKEN",
            HttpStatusCode.TooManyRequests => " Wait a minute and try again",
            _ => "",
        };
        throw new SshConnectException(ConnectFailure.KeyServer, $"the key server at {url} answered {(int)response.StatusCode}: {reason}.{fix}");
    }

    private static string? ReadString(string json, string name)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
