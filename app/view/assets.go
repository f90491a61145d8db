package view

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Asset is one embedded static file with its content-hashed name.
type Asset struct {
	Name        string
	Hashed      string
	ContentType string
	Data        []byte
}

// Assets maps static files to their content-hashed URLs and back, so that
// they can be cached forever and still change when their content does.
type Assets struct {
	byName   map[string]*Asset
	byHashed map[string]*Asset
}

// LoadAssets reads every file of fsys and names it NAME.HASH.EXT.
func LoadAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byHashed: map[string]*Asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		asset := &Asset{Name: p, Hashed: hashed, ContentType: ct, Data: data}
		a.byName[p] = asset
		a.byHashed[hashed] = asset
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	return a, nil
}

// URL returns the content-hashed URL of the named asset; an unknown name
// panics at template check time, so a typo cannot reach a reader.
func (a *Assets) URL(name string) string {
	asset, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("view: unknown asset %q", name))
	}
	return "/static/" + asset.Hashed
}

// ByHashedName finds an asset by the name in its URL.
func (a *Assets) ByHashedName(hashed string) (*Asset, bool) {
	asset, ok := a.byHashed[hashed]
	return asset, ok
}

// ByName finds an asset by its file name.
func (a *Assets) ByName(name string) (*Asset, bool) {
	asset, ok := a.byName[name]
	return asset, ok
}
