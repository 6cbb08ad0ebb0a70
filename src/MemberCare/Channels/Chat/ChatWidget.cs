namespace MemberCare.Channels.Chat;

/// <summary>The widget's script, embedded in the executable and served as is: a site owner has nothing to build.</summary>
public static class ChatWidget
{
    public static string Script { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(ChatWidget).Assembly.GetManifestResourceStream("MemberCare.Channels.Chat.widget.js")
            ?? throw new InvalidOperationException("The chat widget's script is not embedded in the executable.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
