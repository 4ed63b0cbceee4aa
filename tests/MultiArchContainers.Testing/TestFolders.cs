namespace MultiArchContainers.Testing;

/// <summary>Throwaway folders of the fixtures and sandboxes.</summary>
public static class TestFolders
{
    /// <summary>Removes the folders that exist; one with a file still held open is left for the OS temp cleanup.</summary>
    public static void DeleteQuietly(params string[] folders)
    {
        foreach (string folder in folders.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
