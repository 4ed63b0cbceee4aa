using System.Reflection;
using System.Runtime.Loader;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace MultiArchContainers.Tasks;

/// <summary>
/// The .NET SDK's own CreateNewImage task (loaded from <see cref="SdkTasksAssembly"/>), run with every parameter as
/// given and its messages one importance lower: the per-RID builds write an image archive in the run folder, and the
/// SDK's "Building image …" and "Pushed image … to local archive …" lines would read as if something had been pushed.
/// They stay in the log at -v:n. The parameters are the SDK's, by name; a test keeps them equal to the SDK's
/// _PublishSingleContainer call.
/// </summary>
public sealed class QuietCreateNewImage : MSBuildTask, ICancelableTask
{
    private ICancelableTask? _running;

    /// <summary>$(ContainerCustomTasksAssembly): the SDK's Microsoft.NET.Build.Containers.dll.</summary>
    [Required]
    public string SdkTasksAssembly { get; set; } = string.Empty;

    public string? BaseRegistry { get; set; }
    public string? BaseImageName { get; set; }
    public string? BaseImageTag { get; set; }
    public string? BaseImageDigest { get; set; }
    public string? OutputRegistry { get; set; }
    public string? ArchiveOutputPath { get; set; }
    public string? LocalRegistry { get; set; }
    public string? Repository { get; set; }
    public string[]? ImageTags { get; set; }
    public string? PublishDirectory { get; set; }
    public string? WorkingDirectory { get; set; }
    public ITaskItem[]? Entrypoint { get; set; }
    public ITaskItem[]? EntrypointArgs { get; set; }
    public ITaskItem[]? DefaultArgs { get; set; }
    public ITaskItem[]? AppCommand { get; set; }
    public ITaskItem[]? AppCommandArgs { get; set; }
    public string? AppCommandInstruction { get; set; }
    public ITaskItem[]? ExposedPorts { get; set; }
    public ITaskItem[]? Labels { get; set; }
    public ITaskItem[]? ContainerEnvironmentVariables { get; set; }
    public string? ContainerRuntimeIdentifier { get; set; }
    public string? RuntimeIdentifierGraphPath { get; set; }
    public string? ContainerUser { get; set; }
    public bool GenerateLabels { get; set; }
    public bool GenerateDigestLabel { get; set; }
    public string? ImageFormat { get; set; }
    public bool SkipPublishing { get; set; }

    [Output] public string? GeneratedContainerManifest { get; set; }
    [Output] public string? GeneratedContainerConfiguration { get; set; }
    [Output] public string? GeneratedContainerDigest { get; set; }
    [Output] public string? GeneratedArchiveOutputPath { get; set; }
    [Output] public string? GeneratedContainerMediaType { get; set; }
    [Output] public ITaskItem[]? GeneratedContainerNames { get; set; }
    [Output] public ITaskItem? GeneratedDigestLabel { get; set; }

    public void Cancel() => _running?.Cancel();

    public override bool Execute()
    {
        Type type = SdkTasks.Load(SdkTasksAssembly).GetType("Microsoft.NET.Build.Containers.Tasks.CreateNewImage", throwOnError: true)!;
        var inner = (ITask)Activator.CreateInstance(type)!;
        PropertyInfo[] mine = GetType().GetProperties();
        PropertyInfo[] theirs = type.GetProperties().Where(p => p.DeclaringType == type && p.SetMethod is { IsPublic: true }).ToArray();
        // A parameter MSBuild left unset (an empty value) keeps the SDK task's own default, as when MSBuild runs it.
        foreach (PropertyInfo property in theirs.Where(p => p.GetCustomAttribute<OutputAttribute>() is null))
        {
            if (mine.FirstOrDefault(m => m.Name == property.Name)?.GetValue(this) is { } value)
            {
                property.SetValue(inner, value);
            }
        }

        inner.BuildEngine = BuildEngine is IBuildEngine10 engine ? QuietBuildEngine.Around(engine) : BuildEngine;
        inner.HostObject = HostObject;
        _running = inner as ICancelableTask;
        try
        {
            bool succeeded = inner.Execute();
            foreach (PropertyInfo property in theirs.Where(p => p.GetCustomAttribute<OutputAttribute>() is not null))
            {
                mine.FirstOrDefault(m => m.Name == property.Name)?.SetValue(this, property.GetValue(inner));
            }

            return succeeded;
        }
        finally
        {
            (inner as IDisposable)?.Dispose();
        }
    }

    /// <summary>The SDK's task assembly in a load context of its own, its dependencies from its folder; MSBuild's own shared.</summary>
    private sealed class SdkTasks(string path) : AssemblyLoadContext("MultiArchContainers: " + path)
    {
        private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);
        private readonly AssemblyDependencyResolver _resolver = new(path);

        public static Assembly Load(string path)
        {
            lock (Loaded)
            {
                return Loaded.TryGetValue(path, out Assembly? assembly) ? assembly : Loaded[path] = new SdkTasks(path).LoadFromAssemblyPath(path);
            }
        }

        protected override Assembly? Load(AssemblyName name) =>
            name.Name is { } simple && (simple.StartsWith("Microsoft.Build", StringComparison.Ordinal) || simple == "System.Runtime")
                ? null
                : _resolver.ResolveAssemblyToPath(name) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
    }
}
