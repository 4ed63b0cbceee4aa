using System.CommandLine;
using MultiArchContainers.Tool;

ToolConsole console = ToolConsole.ForProcess();
var root = new RootCommand("multiarch: merge per-platform container images into one multi-platform OCI index, and inspect images and indexes")
{
    MergeCommand.Create(console),
    InspectCommand.Create(console),
};
return await ToolRunner.InvokeAsync(root, args, console);
