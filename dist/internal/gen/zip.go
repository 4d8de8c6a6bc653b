package main

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// zfile is one member of a hand-built ZIP archive. The zero value of each
// knob writes a well-formed member; the others break it on purpose.
type zfile struct {
	name    string
	data    []byte
	deflate bool
	mode    uint32 // Unix mode; 0 means a regular file 0644 (or 0755 dir)

	method     uint16 // overrides the method written in both headers
	flags      uint16 // extra general-purpose flags (encryption, ...)
	localName  string // written in the local header instead of name
	localDelta uint32 // added to the local header's compressed size
	usizeDelta uint32 // added to the local header's uncompressed size
	cdUsize    uint32 // if set, the central directory's uncompressed size
	badCRC     bool   // write a wrong CRC-32 in both headers
	descriptor bool   // use a data descriptor (general-purpose flag bit 3)
	comment    string // central-directory comment
	rawName    []byte // name bytes written as is (e.g. not UTF-8)
	zip64Usize uint64 // if set, the uncompressed size declared in a ZIP64 extra of both headers
}

// zopts are archive-level knobs.
type zopts struct {
	prepend, appendix []byte
	records           int // if set, the record count written in the EOCD
	disk              uint16
	overlap           bool // the last member's CD record points at the first local header
	gap               int  // junk bytes between the first and second member
}

// buildZip writes a ZIP archive as the APPNOTE describes it: local
// headers and data, the central directory, the end record.
func buildZip(files []zfile, o zopts) []byte {
	var out bytes.Buffer
	out.Write(o.prepend)
	base := len(o.prepend)
	var cd bytes.Buffer
	le := binary.LittleEndian
	u16 := func(b *bytes.Buffer, v uint16) { binary.Write(b, le, v) }
	u32 := func(b *bytes.Buffer, v uint32) { binary.Write(b, le, v) }
	var firstOffset uint32
	for i, f := range files {
		name := []byte(f.name)
		if f.rawName != nil {
			name = f.rawName
		}
		data := f.data
		method := uint16(0)
		if f.deflate {
			method = 8
			var c bytes.Buffer
			w, _ := flate.NewWriter(&c, flate.BestCompression)
			w.Write(f.data)
			w.Close()
			data = c.Bytes()
		}
		if f.method != 0 {
			method = f.method
		}
		crc := crc32.ChecksumIEEE(f.data)
		if f.badCRC {
			crc ^= 0xdeadbeef
		}
		flags := f.flags | 0x800 // names are UTF-8
		if f.descriptor {
			flags |= 0x8
		}
		mode := f.mode
		if mode == 0 {
			mode = 0o100644
			if bytes.HasSuffix(name, []byte("/")) {
				mode = 0o40755
			}
		}
		offset := uint32(out.Len() - base)
		if i == 0 {
			firstOffset = offset
		}
		if o.overlap && i == len(files)-1 {
			offset = firstOffset
		}
		lname := name
		if f.localName != "" {
			lname = []byte(f.localName)
		}
		// local header
		var lh bytes.Buffer
		u32(&lh, 0x04034b50)
		u16(&lh, 20)
		u16(&lh, flags)
		u16(&lh, method)
		u32(&lh, 0) // time, date
		lcrc, lcs, lus := crc, uint32(len(data))+f.localDelta, uint32(len(f.data))+f.usizeDelta
		if f.descriptor {
			lcrc, lcs, lus = 0, 0, 0
		}
		u32(&lh, lcrc)
		u32(&lh, lcs)
		var zip64 []byte
		if f.zip64Usize != 0 {
			// Only the size that overflows is in the extra (APPNOTE 4.5.3).
			lus = 0xffffffff
			zip64 = binary.LittleEndian.AppendUint16(nil, 0x0001)
			zip64 = binary.LittleEndian.AppendUint16(zip64, 8)
			zip64 = binary.LittleEndian.AppendUint64(zip64, f.zip64Usize)
		}
		u32(&lh, lus)
		u16(&lh, uint16(len(lname)))
		u16(&lh, uint16(len(zip64)))
		lh.Write(lname)
		lh.Write(zip64)
		if !(o.overlap && i == len(files)-1) {
			out.Write(lh.Bytes())
			out.Write(data)
			if f.descriptor {
				u32(&out, 0x08074b50)
				u32(&out, crc)
				u32(&out, uint32(len(data)))
				u32(&out, uint32(len(f.data)))
			}
		}
		if i == 0 && o.gap > 0 {
			out.Write(bytes.Repeat([]byte{0xAA}, o.gap))
		}
		usize := uint32(len(f.data))
		if f.cdUsize != 0 {
			usize = f.cdUsize
		}
		if f.zip64Usize != 0 {
			usize = 0xffffffff
		}
		// central directory record
		u32(&cd, 0x02014b50)
		u16(&cd, 3<<8|20) // made by Unix
		u16(&cd, 20)
		u16(&cd, flags)
		u16(&cd, method)
		u32(&cd, 0)
		u32(&cd, crc)
		u32(&cd, uint32(len(data)))
		u32(&cd, usize)
		u16(&cd, uint16(len(name)))
		u16(&cd, uint16(len(zip64)))
		u16(&cd, uint16(len(f.comment)))
		u16(&cd, 0) // disk
		u16(&cd, 0) // internal attributes
		u32(&cd, mode<<16)
		u32(&cd, offset)
		cd.Write(name)
		cd.Write(zip64)
		cd.WriteString(f.comment)
	}
	cdOffset := out.Len() - base
	out.Write(cd.Bytes())
	records := len(files)
	if o.records != 0 {
		records = o.records
	}
	u32(&out, 0x06054b50)
	u16(&out, o.disk)
	u16(&out, o.disk)
	u16(&out, uint16(records))
	u16(&out, uint16(records))
	u32(&out, uint32(cd.Len()))
	u32(&out, uint32(cdOffset))
	u16(&out, 0)
	out.Write(o.appendix)
	return out.Bytes()
}
