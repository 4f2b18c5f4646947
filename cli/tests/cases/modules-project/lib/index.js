module.exports = { fromB: require('./b').done };
