using System.CommandLine;
using MultiArchContainers.Tool;

ToolConsole console = ToolConsole.ForProcess();
var root = new RootCommand("multiarch: merge per-platform container images into one multi-platform OCI index, inspect images and indexes, and verify their signatures")
{
    MergeCommand.Create(console),
    InspectCommand.Create(console),
    VerifyCommand.Create(console),
};
return await ToolRunner.InvokeAsync(root, args, console);
