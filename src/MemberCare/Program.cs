using MemberCare.Hosting;

return await Verbs.RunAsync(args);

public partial class Program;
