// Destructuring null or undefined with no property to read still throws, with V8's text.
try { const {} = null; } catch (e) { console.log(e.message); }
try { const {} = undefined; } catch (e) { console.log(e.message); }
try { const { ...r } = null; } catch (e) { console.log(e.message); }
function f({}) { return 1; } try { f(); } catch (e) { console.log(e.message); }
let x; try { ({} = null); } catch (e) { console.log(e.message); }
const {} = 5; console.log('number ok');
