using System.Text.Json;

namespace McpSsh.JsonRpc;

public static partial class FrameInspector
{
    internal enum IdShape
    {
        Valid,
        Null,
        WrongType,
        LoneSurrogate,
        NotUtf8,
    }

    internal readonly record struct IdToken(IdShape Shape, string? Text);

    /// <summary>What the top-level members said, and the first reason the frame is not a valid message.</summary>
    internal struct Members
    {
        private IdToken? _id;
        private bool _hasMethod;
        private bool _isCancel;
        private string? _method;
        private bool _methodInvalid;
        private bool _echoNull;

        public bool HasResult;
        public bool HasError;
        public string? CancelledId;

        public string? Problem { get; private set; }

        /// <summary>The id to answer a rejected frame with: a string or number id, even one holding a lone surrogate.</summary>
        public readonly string? EchoId => !_echoNull && _id is { Shape: IdShape.Valid or IdShape.LoneSurrogate } id ? id.Text : null;

        public readonly bool IdIsUtf8 => _id is not { Shape: IdShape.NotUtf8 };

        public void AddId(IdToken id)
        {
            if (_id is not null)
            {
                Fail("duplicate \"id\" member");
                _echoNull = true; // ambiguous: answer with a null id
                return;
            }

            _id = id;
            switch (id.Shape)
            {
                case IdShape.WrongType:
                    Fail("\"id\" must be a string or a number");
                    _echoNull = true;
                    break;
                case IdShape.LoneSurrogate:
                    Fail("\"id\" holds a lone UTF-16 surrogate escape, which is not valid Unicode");
                    break;
            }
        }

        public void AddMethod(ref Utf8JsonReader reader, bool capture, ReadOnlySpan<byte> cancelled)
        {
            if (_hasMethod || reader.TokenType != JsonTokenType.String)
            {
                // Not a valid method, but still one JSON value: skip it whole so its members stay nested.
                RejectMethod();
                reader.Skip();
                return;
            }

            _hasMethod = true;
            _isCancel = reader.ValueTextEquals(cancelled);
            string? canonical = RequestId.FromStringToken(ref reader, out bool wellFormed);
            if (canonical is not null && !wellFormed)
            {
                Fail("\"method\" holds a lone UTF-16 surrogate escape, which is not valid Unicode");
            }
            else if (capture && canonical is not null)
            {
                _method = reader.GetString();
            }
        }

        public readonly bool HasMethod => _hasMethod;

        /// <summary>A second method, or one that is not a string: the frame is rejected.</summary>
        public void RejectMethod()
        {
            Fail(_hasMethod ? "duplicate \"method\" member" : "\"method\" must be a string");
            _echoNull = true; // JSON-RPC: -32600 with a null id
            _methodInvalid = true;
        }

        public readonly FrameInfo ToInfo()
        {
            string? id = _id?.Text;
            FrameKind kind = (_hasMethod, id is not null, HasResult || HasError) switch
            {
                (true, true, _) => FrameKind.Request,
                (true, false, _) => FrameKind.Notification,
                (false, true, true) => FrameKind.Response,
                _ => FrameKind.Other,
            };
            return new FrameInfo(kind, id, _method, _isCancel ? CancelledId : null);
        }

        private void Fail(string problem) => Problem ??= problem;

        /// <summary>Called once all members are read: rules that need the whole object.</summary>
        public void Finish()
        {
            if (_id is { Shape: IdShape.Null } && (_hasMethod || _methodInvalid || !HasError))
            {
                // JSON-RPC allows a null id only on an error answer to a request whose id could not be read.
                Fail("\"id\" must be a string or a number");
            }
        }
    }
}
