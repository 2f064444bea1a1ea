namespace McpSsh.Ssh.Proxy;

/// <summary>Copies bytes both ways between two streams until either ends; then both are closed.</summary>
internal static class Relay
{
    public static async Task Run(Stream a, Stream b)
    {
        Task ab = CopyThenClose(a, b);
        Task ba = CopyThenClose(b, a);
        await Task.WhenAny(ab, ba);
        await a.DisposeAsync();
        await b.DisposeAsync();
        await Task.WhenAll(ab.ContinueWith(static _ => { }, TaskScheduler.Default), ba.ContinueWith(static _ => { }, TaskScheduler.Default));
    }

    private static async Task CopyThenClose(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, 64 * 1024);
            await to.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // One side went away: the other is closed by Run, and the SSH client above reports the loss.
        }
    }
}
