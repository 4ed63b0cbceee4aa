@echo off
rem build.cmd pack   writes artifacts\packages\MultiArchContainers.Sdk.<version>.nupkg and the multiarch command's
rem                  pointer and framework-dependent packages (its native linux-x64 package is packed on Linux)
rem build.cmd test   builds, packs and runs the tests (needs docker-registry and skopeo on PATH)
setlocal
cd /d "%~dp0"
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
if "%1"=="" goto pack
if /i "%1"=="pack" goto pack
if /i "%1"=="test" goto test
echo usage: build.cmd [pack^|test]
exit /b 2

:pack
call :packall || exit /b 1
exit /b 0

:packall
dotnet pack src\MultiArchContainers.Tasks -c Release -nologo -v:q -o artifacts\packages || exit /b 1
dotnet pack src\MultiArchContainers.Tool -c Release -nologo -v:q -o artifacts\packages || exit /b 1
dotnet pack src\MultiArchContainers.Tool -c Release -nologo -v:q -o artifacts\packages -r any -p:PublishAot=false || exit /b 1
exit /b 0

:test
where docker-registry >nul 2>&1 || (echo docker-registry is not on PATH; install the CNCF distribution registry. & exit /b 1)
where skopeo >nul 2>&1 || (echo skopeo is not on PATH. & exit /b 1)
dotnet build MultiArchContainers.sln -c Release -nologo -v:q || exit /b 1
call :packall || exit /b 1
dotnet test MultiArchContainers.sln -c Release --no-build -nologo --logger trx --results-directory artifacts\test-results || exit /b 1
exit /b 0
