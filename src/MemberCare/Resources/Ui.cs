namespace MemberCare.Resources;

/// <summary>The interface's words, in Ui.resx (English) and Ui.nb.resx (Norwegian Bokmål).</summary>
public sealed class Ui;
