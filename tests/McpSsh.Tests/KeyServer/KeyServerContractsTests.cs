using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSsh.Ssh.KeyServer;

namespace McpSsh.Tests.KeyServer;

/// <summary>
/// The key server's bodies as typed contracts (issue 13, deliverable 5): each round-trips, and each writes exactly the
/// bytes the hand-built Utf8JsonWriter code wrote before (kept below as the oracle), so the wire stays the Python one.
/// </summary>
public class KeyServerContractsTests
{
    /// <summary>Key lines (with '+', '/', '='), and strings that need escaping: quotes, backslash, control, HTML, non-ASCII, astral.</summary>
    public static TheoryData<string> Values() =>
    [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl+/x= user@host",
        "healthy",
        "",
        "Invalid public key: RSA keys must have at least 2048 bits",
        "quote \" backslash \\ slash / tab \t newline \n nul \0 bell \u0007",
        "<script>&'</script>",
        "é ü 鍵 🔑",
        "Rate limit exceeded. Try again later.",
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void RegisterRequest_IsWhatTheClientWroteBefore_AndRoundTrips(string key)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new RegisterRequest(key), KeyServerJsonContext.Default.RegisterRequest);

        Assert.Equal(OldWriter(null, "client_pub_key", key), Encoding.UTF8.GetString(json));
        Assert.Equal(new RegisterRequest(key), JsonSerializer.Deserialize(json, KeyServerJsonContext.Default.RegisterRequest));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void ServerAnswers_AreWhatTheServerWroteBefore_AndRoundTrip(string value)
    {
        AssertServerAnswer(new ServerPubKeyReply(value), KeyServerJsonContext.Relaxed.ServerPubKeyReply, "server_pub_key", value);
        AssertServerAnswer(new StatusReply(value), KeyServerJsonContext.Relaxed.StatusReply, "status", value);
        AssertServerAnswer(new ErrorReply(value), KeyServerJsonContext.Relaxed.ErrorReply, "error", value);
    }

    [Fact]
    public void Statuses_AreThePythonServers()
    {
        Assert.Equal("""{"status":"healthy"}""", Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(StatusReply.Healthy, KeyServerJsonContext.Relaxed.StatusReply)));
        Assert.Equal("""{"status":"success"}""", Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(StatusReply.Success, KeyServerJsonContext.Relaxed.StatusReply)));
    }

    [Theory]
    [InlineData("""{"key":"x"}""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    public void RegisterRequest_WithoutTheField_ReadsAsMissing(string body) =>
        Assert.Null(JsonSerializer.Deserialize(body, KeyServerJsonContext.Default.RegisterRequest)?.ClientPubKey);

    [Theory]
    [InlineData("""{"client_pub_key":5}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{not json""")]
    public void RegisterRequest_OfTheWrongShape_IsAJsonException(string body) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(body, KeyServerJsonContext.Default.RegisterRequest));

    [Fact]
    public void AnswersFromOtherServers_KeepTheirField_AndIgnoreTheRest()
    {
        // The Python server's answers, with an unknown member and a different order: the client reads its field.
        Assert.Equal("ssh-ed25519 AAAA", JsonSerializer.Deserialize("""{"extra":1,"server_pub_key":"ssh-ed25519 AAAA"}""", KeyServerJsonContext.Default.ServerPubKeyReply)!.ServerPubKey);
        Assert.Equal("Missing client_pub_key", JsonSerializer.Deserialize("""{"error": "Missing client_pub_key"}""", KeyServerJsonContext.Default.ErrorReply)!.Error);
    }

    private static void AssertServerAnswer<T>(T reply, JsonTypeInfo<T> type, string name, string value)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(reply, type);
        Assert.Equal(OldWriter(JavaScriptEncoder.UnsafeRelaxedJsonEscaping, name, value), Encoding.UTF8.GetString(json));
        Assert.Equal(reply, JsonSerializer.Deserialize(json, type));
    }

    /// <summary>What JsonReply.WriteAsync (server, relaxed encoder) and KeyServerClient.RegisterAsync (client, default encoder) wrote before the contracts.</summary>
    private static string OldWriter(JavaScriptEncoder? encoder, string name, string value)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString(name, value);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
