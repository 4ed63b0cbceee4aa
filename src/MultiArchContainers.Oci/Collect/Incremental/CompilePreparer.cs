namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// Makes a compile's outputs follow its inputs by content, which MSBuild (comparing times) does not: before the
/// compiler would run, the compile's signature (<see cref="CompileRecord.SignatureOf"/>) is compared with the record of
/// the compile that made the outputs there. A per-RID compile whose signature equals the shared compile's (the one
/// without a RID) takes that compile's outputs instead of compiling; a compile whose signature changed has its
/// assembly removed, so the compiler runs.
/// </summary>
internal static class CompilePreparer
{
    public enum Outcome
    {
        /// <summary>The outputs there were made from these inputs; MSBuild decides as usual.</summary>
        Unchanged,

        /// <summary>The shared compile's outputs were copied in; the compiler does not run.</summary>
        Shared,

        /// <summary>The inputs changed since the outputs were made: the assembly is removed and the compiler runs.</summary>
        Compile,
    }

    /// <summary>
    /// Prepares the compile of <paramref name="signature"/> whose outputs, by role (Assembly, RefAssembly, Symbols,
    /// Documentation; an empty path is none), are <paramref name="outputs"/> and whose record is
    /// <paramref name="recordFile"/>; <paramref name="sharedRecordFile"/> is the shared compile's record, empty in the
    /// shared compile itself. Says why the shared compile's outputs were not taken, when there was one to take.
    /// </summary>
    public static (Outcome Outcome, string? NotShared) Prepare(InputKey signature, IReadOnlyDictionary<string, string> outputs, string recordFile, string sharedRecordFile)
    {
        var own = outputs.Where(o => o.Value.Length > 0).ToDictionary(o => o.Key, o => Path.GetFullPath(o.Value), StringComparer.Ordinal);
        CompileRecord? shared = sharedRecordFile.Length > 0 ? CompileRecord.Read(sharedRecordFile) : null;
        string? notShared = sharedRecordFile.Length == 0 ? null
            : shared is null ? "the compile without a RID has no record"
            : shared.Signature.Difference(signature) is { } difference ? difference
            : !own.Keys.Order(StringComparer.Ordinal).SequenceEqual(shared.Outputs.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal) ? "its outputs differ"
            : shared.Outputs.Values.FirstOrDefault(o => !File.Exists(o)) is { } missing ? $"{missing} is gone"
            : null;
        if (shared is not null && notShared is null)
        {
            DateTime now = DateTime.UtcNow;
            foreach ((string role, string path) in own)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Copy(shared.Outputs[role], path, overwrite: true);
                // Newer than every input, so MSBuild finds the compile up to date.
                File.SetLastWriteTimeUtc(path, now);
            }

            new CompileRecord(signature, own).Write(recordFile);
            return (Outcome.Shared, null);
        }

        if (CompileRecord.Read(recordFile) is { } last && last.Signature.Value == signature.Value)
        {
            return (Outcome.Unchanged, notShared);
        }

        // Written before the compile: if it fails, the assembly is missing and the next build compiles anyway.
        if (own.TryGetValue("Assembly", out string? assembly))
        {
            File.Delete(assembly);
        }

        new CompileRecord(signature, own).Write(recordFile);
        return (Outcome.Compile, notShared);
    }
}
