; Inno Setup 6 script of ANTQ Desktop: a per-user installer that needs neither internet nor
; administrator rights. Build it with `py installer\build.py installer` (see installer\README.md),
; which passes the version of antq_desktop\__init__.py (the one place it is written):
;
;   ISCC.exe /DAppVersion=0.4.0 /DAppNumericVersion=0.4.0.0 /DBuildDir="...\dist\ANTQ Desktop" /O...\dist antq.iss
;
; What it installs: the PyInstaller folder (both programs and _internal\) into
; %LOCALAPPDATA%\Programs\ANTQ Desktop, a Start-menu entry, optionally a desktop shortcut.
;
; The data is NOT in the program folder: the program keeps its database, logs and settings in the
; user data folder %LOCALAPPDATA%\ANTQ Desktop (platformdirs; antq_desktop\paths.py). The
; uninstaller removes only what this script installed, so the data survives uninstalling and
; upgrading; there is no [UninstallDelete] entry, on purpose, and the data folder is marked
; uninsneveruninstall below.

#if VER < EncodeVer(6, 3, 0)
  #error Cần Inno Setup 6.3 trở lên (Inno Setup 6.3 or later is needed)
#endif
#ifndef AppVersion
  #error Thiếu /DAppVersion: hãy dựng bằng "py installer\build.py installer" (AppVersion comes from antq_desktop\__init__.py)
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#ifndef BuildDir
  #define BuildDir SourcePath + "..\dist\ANTQ Desktop"
#endif

; Vietnamese wizard texts: a copy placed beside this script wins, then the one Inno Setup ships
; (Languages\ or Languages\Unofficial\, depending on the release). See installer\README.md.
#if FileExists(SourcePath + "Vietnamese.isl")
  #define VietnameseMessages SourcePath + "Vietnamese.isl"
#elif FileExists(CompilerPath + "Languages\Vietnamese.isl")
  #define VietnameseMessages "compiler:Languages\Vietnamese.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\Vietnamese.isl")
  #define VietnameseMessages "compiler:Languages\Unofficial\Vietnamese.isl"
#else
  #error Không tìm thấy Vietnamese.isl: chép tệp này vào thư mục installer\ (xem installer\README.md)
#endif

#define AppName "ANTQ Desktop"
#define AppExeName "ANTQ Desktop.exe"
#define DataDir "{localappdata}\" + AppName

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6C1E2B8F-4D3A-4F0B-9A51-7E2C9D0B4A13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ANTQ Desktop
AppComments=Quản lý phong trào toàn dân bảo vệ an ninh Tổ quốc cho Công an xã, phường, đặc khu
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductVersion={#AppNumericVersion}
VersionInfoProductTextVersion={#AppVersion}
; Per user, no administrator: no elevation is asked for, and none can be chosen.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later.
MinVersion=10.0.17763
ShowLanguageDialog=no
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir={#SourcePath}..\dist
OutputBaseFilename=ANTQ-Desktop-{#AppVersion}-setup
UninstallDisplayName={#AppName} {#AppVersion}
UninstallDisplayIcon={app}\{#AppExeName}
; An upgrade closes a running copy first (Restart Manager), then installs over it.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "vietnamese"; MessagesFile: "{#VietnameseMessages}"

[CustomMessages]
vietnamese.DesktopIcon=Tạo lối tắt trên màn hình &Desktop
vietnamese.OtherTasks=Lối tắt:
vietnamese.DataFolderIcon=Thư mục dữ liệu ANTQ Desktop
vietnamese.LaunchProgram=Mở ANTQ Desktop
vietnamese.DataKept=Chương trình ANTQ Desktop đã được gỡ khỏi máy.%n%nDữ liệu (tệp dữ liệu, bản sao lưu, nhật ký, thiết lập) vẫn được giữ nguyên trong thư mục:%n%n%1%n%nCài lại chương trình sẽ dùng tiếp dữ liệu này. Chỉ khi chắc chắn không cần nữa (đã sao lưu), mới xoá thư mục đó bằng tay.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:OtherTasks}"

[InstallDelete]
; The previous release's libraries go before the new ones arrive (nothing of the user's is in there).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The folder built by PyInstaller, as it is. A portable marker or a data folder left there by a
; test run must not make the installed copy portable.
Source: "{#BuildDir}\*"; DestDir: "{app}"; Excludes: "\portable.txt,\data"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Created now so the Start-menu shortcut to it works before the first start; never uninstalled.
Name: "{#DataDir}"; Flags: uninsneveruninstall

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{group}\{cm:DataFolderIcon}"; Filename: "{#DataDir}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram}"; Flags: nowait postinstall skipifsilent

[Code]
// Say plainly, at the end of an interactive uninstall, that the data stays and where it is.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{#DataDir}')]), mbInformation, MB_OK);
end;
