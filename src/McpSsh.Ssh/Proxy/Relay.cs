namespace McpSsh.Ssh.Proxy;

/// <summary>Copies bytes both ways between two streams until either ends; then both are closed.</summary>
internal static class Relay
{
    /// <param name="firstByteFromB">Called once, when the first bytes arrive from <paramref name="b"/>.</param>
    public static async Task Run(Stream a, Stream b, Action? firstByteFromB = null)
    {
        Task ab = CopyThenClose(a, b, null);
        Task ba = CopyThenClose(b, a, firstByteFromB);
        await Task.WhenAny(ab, ba);
        await a.DisposeAsync();
        await b.DisposeAsync();
        await Task.WhenAll(ab.ContinueWith(static _ => { }, TaskScheduler.Default), ba.ContinueWith(static _ => { }, TaskScheduler.Default));
    }

    private static async Task CopyThenClose(Stream from, Stream to, Action? firstBytes)
    {
        try
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                firstBytes?.Invoke();
                firstBytes = null;
                await to.WriteAsync(buffer.AsMemory(0, read));
            }

            await to.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // One side went away: the other is closed by Run, and the SSH client above reports the loss.
        }
    }
}
