using System.Buffers;
using System.Text.Json;
using McpSsh.JsonRpc;

namespace McpSsh.Filtering;

/// <summary>Reads <c>params.name</c> of a <c>tools/call</c> request, decoded (escapes included), without building a tree.</summary>
public static class ToolCallName
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    private static ReadOnlySpan<byte> ParamsName => "params"u8;
    private static ReadOnlySpan<byte> NameName => "name"u8;

    /// <summary>
    /// Every <c>params.name</c> of the frame (a duplicate member gives several: the caller checks all), each ""
    /// when it is not a readable string; empty when there is none.
    /// </summary>
    public static IReadOnlyList<string> Read(ReadOnlySequence<byte> frame)
    {
        var names = new List<string>(1);
        try
        {
            var reader = new Utf8JsonReader(frame, s_options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return names;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isParams = reader.ValueTextEquals(ParamsName);
                reader.Read();
                if (!isParams || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isName = reader.ValueTextEquals(NameName);
                    reader.Read();
                    if (isName)
                    {
                        names.Add(ToolListRewriter.Text(ref reader));
                    }

                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // Inspected frames only reach here; a fault leaves what was read.
        }

        return names;
    }
}
