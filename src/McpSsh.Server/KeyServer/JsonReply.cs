using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSsh.Ssh.KeyServer;
using Microsoft.AspNetCore.Http;

namespace McpSsh.Server.KeyServer;

/// <summary>The key server's answers: the records in McpSsh.Ssh.KeyServer (KeyServerContracts.cs), one-member JSON objects as the Python server sends them.</summary>
internal static class JsonReply
{
    public static Task WriteAsync<T>(HttpContext context, int status, T body, JsonTypeInfo<T> type)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, type);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json).AsTask();
    }

    public static Task Status(HttpContext context, StatusReply status) => WriteAsync(context, StatusCodes.Status200OK, status, KeyServerJsonContext.Relaxed.StatusReply);

    public static Task Error(HttpContext context, int status, string message) => WriteAsync(context, status, new ErrorReply(message), KeyServerJsonContext.Relaxed.ErrorReply);
}
